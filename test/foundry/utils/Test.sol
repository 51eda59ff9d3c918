// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @dev The few forge cheatcodes these tests use (forge-std is not an npm package we pin; this is all we need).
interface Vm {
    function warp(uint256 timestamp) external;
    function roll(uint256 blockNumber) external;
    function prank(address sender) external;
    function startPrank(address sender) external;
    function stopPrank() external;
    function expectRevert() external;
    function expectRevert(bytes4 selector) external;
    function expectRevert(bytes calldata revertData) external;
    function addr(uint256 privateKey) external pure returns (address);
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function etch(address target, bytes calldata code) external;
    function deal(address account, uint256 newBalance) external;
    function load(address target, bytes32 slot) external view returns (bytes32);
    function mockCall(address callee, bytes calldata data, bytes calldata returnData) external;
    function mockCalls(address callee, bytes calldata data, bytes[] calldata returnData) external;
    function mockCallRevert(address callee, bytes calldata data, bytes calldata revertData) external;
    function clearMockedCalls() external;
    function expectEmit(bool checkTopic1, bool checkTopic2, bool checkTopic3, bool checkData, address emitter)
        external;
    function store(address target, bytes32 slot, bytes32 value) external;
}

/// @dev Minimal test base: cheatcodes and assertions that revert with both values.
abstract contract Test {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    error AssertionFailed(string what, uint256 left, uint256 right);
    error AssertionFailedAddress(string what, address left, address right);

    function assertEq(uint256 a, uint256 b, string memory what) internal pure {
        require(a == b, AssertionFailed(what, a, b));
    }

    function assertEq(address a, address b, string memory what) internal pure {
        require(a == b, AssertionFailedAddress(what, a, b));
    }

    function assertEq(bytes32 a, bytes32 b, string memory what) internal pure {
        require(a == b, AssertionFailed(what, uint256(a), uint256(b)));
    }

    function assertEq(string memory a, string memory b, string memory what) internal pure {
        require(keccak256(bytes(a)) == keccak256(bytes(b)), AssertionFailed(what, 0, 1));
    }

    function assertTrue(bool c, string memory what) internal pure {
        require(c, AssertionFailed(what, 0, 1));
    }

    function assertFalse(bool c, string memory what) internal pure {
        require(!c, AssertionFailed(what, 1, 0));
    }

    function assertGt(uint256 a, uint256 b, string memory what) internal pure {
        require(a > b, AssertionFailed(what, a, b));
    }

    function assertGe(uint256 a, uint256 b, string memory what) internal pure {
        require(a >= b, AssertionFailed(what, a, b));
    }

    function assertLt(uint256 a, uint256 b, string memory what) internal pure {
        require(a < b, AssertionFailed(what, a, b));
    }

    function assertLe(uint256 a, uint256 b, string memory what) internal pure {
        require(a <= b, AssertionFailed(what, a, b));
    }
}
