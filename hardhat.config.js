// The Hardhat node ape-hardhat starts for `--network ethereum:local:hardhat` (ape-config.yaml points here).
// Same accounts, fork and zero base fee as the file ape-hardhat 0.8.5 would write, plus one setting:
// allowBlocksWithSameTimestamp. Without it Hardhat gives every block a timestamp above the previous one, so
// two transactions sent within one second land at different times and a view read between them no longer
// sees the interest the next transaction accrues; several tests pin the next block at the head's timestamp
// (as Anvil allows) to compare before/after exactly.
module.exports = {
  networks: {
    hardhat: {
      hardfork: "prague",
      initialBaseFeePerGas: 0,
      allowBlocksWithSameTimestamp: true,
      accounts: {
        mnemonic: "test test test test test test test test test test test junk",
        path: "m/44'/60'/0'/0",
        count: 10,
        accountsBalance: "10000000000000000000000",
      },
    },
  },
};
