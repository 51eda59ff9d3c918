"""Which test account plays which role — the only place tests map roles to account indices."""

ROLE_INDEX = {
    "deployer": 0,
    "guardian": 1,
    "supplier": 2,
    "borrower": 3,
    "liquidator": 4,
    "attacker": 5,
    "outsider": 6,
    "voter": 7,
    "second_supplier": 8,
    "second_borrower": 9,
}


def actor(accounts, role: str):
    return accounts[ROLE_INDEX[role]]
