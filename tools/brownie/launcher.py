"""`brownie` with Strata's two devchains, on a free port: run as `.venv-brownie/bin/python tools/brownie/launcher.py
<brownie args>` (tools/brownie/brownie.sh and the Makefile's brownie-* targets do).

Adds, in memory (the user's ~/.brownie/network-config.yaml is not touched):
  strata-anvil    Anvil from PATH (the real binary linked into .venv-brownie/bin), hardfork prague, base fee 0,
                  10 accounts of the "test … junk" mnemonic (the same accounts as ape's tests)
  strata-hardhat  `npx hardhat --config tools/brownie/hardhat.config.js node` (Hardhat 2.29.1, prague)
and makes strata-anvil the default. The port is $STRATA_BROWNIE_PORT, else a free one picked here, so parallel
runs and a node already on 8545 never collide (brownie would otherwise *attach* to whatever listens on its port).
Why not brownie-config.yaml: a `networks:` override crashes brownie 1.22.2's mypyc build (see that file).
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HARDHAT_CONFIG = Path("tools/brownie/hardhat.config.js")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def strata_networks(port: int) -> dict[str, dict]:
    return {
        "strata-anvil": {
            "name": "Anvil (Strata)",
            "id": "strata-anvil",
            "cmd": "anvil",  # brownie picks its anvil backend by this prefix: keep it first
            "host": "http://127.0.0.1",
            "cmd_settings": {
                "port": port,
                "host": "127.0.0.1",
                "accounts": 10,
                "base_fee": 0,
                "gas_limit": 30_000_000,
                "evm_version": "prague",
            },
        },
        "strata-hardhat": {
            "name": "Hardhat node (Strata)",
            "id": "strata-hardhat",
            "cmd": f"npx hardhat --config {HARDHAT_CONFIG} node",  # prefix "npx hardhat": brownie's hardhat backend
            "host": "http://127.0.0.1",
            "timeout": 120,
            "cmd_settings": {"port": port, "host": "127.0.0.1"},
        },
    }


def install_networks(port: int) -> None:
    from brownie._config import CONFIG

    CONFIG.networks.update(strata_networks(port))
    CONFIG.settings["networks"]["default"] = "strata-anvil"


def main() -> None:
    os.chdir(ROOT)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # the strata package, without installing it into brownie's venv
    port = int(os.environ.get("STRATA_BROWNIE_PORT") or free_port())
    install_networks(port)
    from brownie._cli.__main__ import main as brownie_main

    sys.argv = ["brownie", *sys.argv[1:]]
    brownie_main()


if __name__ == "__main__":
    main()
