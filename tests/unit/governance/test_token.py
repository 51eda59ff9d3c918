"""StrataToken: fixed supply, checkpointed votes that count only once delegated."""

import ape
from eip712.messages import EIP712Message
from eth_pydantic_types import abi


def test_token__deployment__mints_the_whole_fixed_supply_to_the_holder(project, deployer, attacker):
    token = deployer.deploy(project.StrataToken, attacker)
    assert token.totalSupply() == token.TOTAL_SUPPLY() == 100_000_000 * 10**18
    assert token.balanceOf(attacker) == token.TOTAL_SUPPLY()
    assert token.name() == "Strata" and token.symbol() == "STRATA" and token.decimals() == 18


def test_token__abi__has_no_mint_or_burn(token):
    names = {m.name for m in token.contract_type.mutable_methods}
    assert not names & {"mint", "burn", "burnFrom"}


def test_token__zero_holder__reverts(project, deployer):
    with ape.reverts():
        deployer.deploy(project.StrataToken, "0x0000000000000000000000000000000000000000")


def test_votes__undelegated_balance__count_for_nothing(token, deployer):
    assert token.balanceOf(deployer) > 0
    assert token.getVotes(deployer) == 0


def test_votes__after_delegation__equal_the_balance(token, proposer, whale, minnow, stakes):
    assert token.getVotes(proposer) == stakes.proposer
    assert token.getVotes(whale) == stakes.whale
    assert token.getVotes(minnow) == stakes.minnow


def test_votes__transfer__moves_votes_from_the_next_block_only(token, whale, attacker, chain, stakes):
    token.invoke_transaction("delegate", attacker, sender=attacker)
    receipt = token.transfer(attacker, stakes.whale, sender=whale)
    chain.mine(1)
    assert token.getVotes(attacker) == stakes.whale
    assert token.getPastVotes(attacker, receipt.block_number - 1) == 0
    assert token.getPastVotes(whale, receipt.block_number - 1) == stakes.whale
    assert token.getPastVotes(whale, receipt.block_number) == 0


def test_votes__past_lookup_of_the_current_block__reverts(token, whale, strict_reverts, chain):
    with strict_reverts(token.ERC5805FutureLookup):
        token.getPastVotes(whale, chain.blocks.head.number + 1)


def test_permit__signed_approval__sets_the_allowance(token, whale, attacker, chain):
    class Permit(EIP712Message):
        owner: abi.address
        spender: abi.address
        value: abi.uint256
        nonce: abi.uint256
        deadline: abi.uint256

    deadline = chain.pending_timestamp + 3600
    message = Permit(
        eip712_name="Strata",
        eip712_version="1",
        eip712_chainId=chain.chain_id,
        eip712_verifyingContract=token.address,
        owner=whale.address,
        spender=attacker.address,
        value=123,
        nonce=token.nonces(whale),
        deadline=deadline,
    )
    signature = whale.sign_message(message)
    # r and s come as minimal big-endian bytes: left-pad them, or a leading zero byte (1 run in 256) would be
    # right-padded by the ABI encoder into another signature.
    r, s = bytes(signature.r).rjust(32, b"\0"), bytes(signature.s).rjust(32, b"\0")
    token.permit(whale, attacker, 123, deadline, signature.v, r, s, sender=attacker)
    assert token.allowance(whale, attacker) == 123
    assert token.nonces(whale) == 1
