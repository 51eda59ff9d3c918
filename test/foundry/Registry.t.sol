// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "./utils/Test.sol";
import {ModuleRegistry} from "../../contracts/registry/ModuleRegistry.sol";
import {ModuleProxy} from "../../contracts/proxy/ModuleProxy.sol";
import {StrataModule} from "../../contracts/base/StrataModule.sol";
import {KinkedRateModel} from "../../contracts/interest/KinkedRateModel.sol";
import {IModuleRegistry} from "../../interfaces/IModuleRegistry.sol";
import {IStrataModule} from "../../interfaces/IStrataModule.sol";
import {IKinkedRateModel} from "../../interfaces/IKinkedRateModel.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

/// @dev A concrete StrataModule that exposes the base's restricted-hook check (no production module uses it yet).
contract StrataModuleHarness is StrataModule {
    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    function hook(bytes32 moduleId) external view returns (bool) {
        _checkModule(moduleId);
        return true;
    }

    function version() external pure returns (string memory) {
        return "test";
    }
}

contract RegistryTest is Test {
    bytes32 internal constant A = "A";
    bytes32 internal constant B = "B";
    bytes32 internal constant C = "C";
    address internal guardian = address(0x6A);
    address internal attacker = address(0xBAD);
    IModuleRegistry internal registry;

    function setUp() public {
        registry = IModuleRegistry(
            address(
                new ModuleProxy(
                    address(new ModuleRegistry()), abi.encodeCall(ModuleRegistry.initialize, (address(this), guardian))
                )
            )
        );
    }

    function test_initialize__zero_roles__revert() public {
        address impl = address(new ModuleRegistry());
        vm.expectRevert(IModuleRegistry.RegistryZeroAddress.selector);
        new ModuleProxy(impl, abi.encodeCall(ModuleRegistry.initialize, (address(0), guardian)));
        vm.expectRevert(IModuleRegistry.RegistryZeroAddress.selector);
        new ModuleProxy(impl, abi.encodeCall(ModuleRegistry.initialize, (address(this), address(0))));
    }

    function test_setModule_removeModule__bookkeeping() public {
        address m1 = address(new ModuleRegistry());
        address m2 = address(new ModuleRegistry());
        registry.setModule(A, m1);
        registry.setModule(B, m1);
        registry.setModule(C, m2);
        registry.setModule(A, m2); // replace: no new id
        assertEq(registry.moduleIds().length, 3, "ids");
        assertEq(registry.requireModule(A), m2, "replaced");
        registry.removeModule(A); // first id: swapped with the last
        registry.removeModule(B); // last id
        bytes32[] memory ids = registry.moduleIds();
        assertEq(ids.length, 1, "one left");
        assertEq(ids[0], C, "C left");
        assertEq(registry.moduleOf(A), address(0), "removed");
        vm.expectRevert(abi.encodeWithSelector(IModuleRegistry.RegistryModuleNotFound.selector, A));
        registry.requireModule(A);
        vm.expectRevert(abi.encodeWithSelector(IModuleRegistry.RegistryModuleNotFound.selector, A));
        registry.removeModule(A);
    }

    function test_setModule__validation__reverts() public {
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IModuleRegistry.RegistryUnauthorized.selector, attacker));
        registry.setModule(A, address(this));
        vm.expectRevert(IModuleRegistry.RegistryZeroModuleId.selector);
        registry.setModule(bytes32(0), address(this));
        vm.expectRevert(IModuleRegistry.RegistryZeroAddress.selector);
        registry.setModule(A, address(0));
        vm.expectRevert(abi.encodeWithSelector(IModuleRegistry.RegistryModuleNotContract.selector, A, address(0x1234)));
        registry.setModule(A, address(0x1234));
    }

    function test_roles__transfer_and_guardian() public {
        vm.expectRevert(IModuleRegistry.RegistryZeroAddress.selector);
        registry.setGuardian(address(0));
        vm.expectRevert(IModuleRegistry.RegistryZeroAddress.selector);
        registry.transferGovernance(address(0));
        registry.setGuardian(address(0x6B));
        assertEq(registry.guardian(), address(0x6B), "guardian");
        registry.transferGovernance(address(0x60));
        assertEq(registry.governance(), address(0x60), "governance");
        vm.expectRevert(abi.encodeWithSelector(IModuleRegistry.RegistryUnauthorized.selector, address(this)));
        registry.setGuardian(address(0x6C));
    }

    function test_upgrade__governance_only() public {
        address impl = address(new ModuleRegistry());
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IModuleRegistry.RegistryUnauthorized.selector, attacker));
        UUPSUpgradeable(address(registry)).upgradeToAndCall(impl, "");
        UUPSUpgradeable(address(registry)).upgradeToAndCall(impl, "");
        assertEq(ModuleRegistry(address(registry)).version(), "1.0.0", "version");
    }

    function test_strataModule__restricted_hook_and_pause() public {
        StrataModuleHarness m = StrataModuleHarness(
            address(
                new ModuleProxy(
                    address(new StrataModuleHarness()), abi.encodeCall(StrataModuleHarness.initialize, (address(registry)))
                )
            )
        );
        registry.setModule(A, address(this));
        assertTrue(m.hook(A), "registered caller");
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IStrataModule.StrataUnauthorizedModule.selector, attacker, A));
        m.hook(A);
        m.pauseModule(); // governance may pause too
        assertTrue(m.modulePaused(), "paused");
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IStrataModule.StrataUnauthorizedGuardian.selector, attacker));
        m.pauseModule();
        assertEq(m.version(), "test", "version");
    }
}

contract KinkedRateModelTest is Test {
    function test_constructor__validation__reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IKinkedRateModel.KinkedRateModelInvalidOptimalUtilization.selector, 0));
        new KinkedRateModel(0, 0, 0, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IKinkedRateModel.KinkedRateModelInvalidOptimalUtilization.selector, 1e18)
        );
        new KinkedRateModel(0, 0, 1e18, 0);
        vm.expectRevert(abi.encodeWithSelector(IKinkedRateModel.KinkedRateModelRateTooHigh.selector, 101e18, 100e18));
        new KinkedRateModel(101e18, 0, 0.5e18, 0);
        vm.expectRevert(abi.encodeWithSelector(IKinkedRateModel.KinkedRateModelRateTooHigh.selector, 120e18, 100e18));
        new KinkedRateModel(40e18, 40e18, 0.5e18, 40e18);
        vm.expectRevert(
            abi.encodeWithSelector(IKinkedRateModel.KinkedRateModelRateTooHigh.selector, type(uint256).max, 100e18)
        );
        new KinkedRateModel(type(uint256).max, type(uint256).max, 0.5e18, 1);
        vm.expectRevert(
            abi.encodeWithSelector(IKinkedRateModel.KinkedRateModelRateTooHigh.selector, type(uint256).max, 100e18)
        );
        new KinkedRateModel(1, type(uint256).max, 0.5e18, type(uint256).max);
    }

    function test_rates__below_and_above_kink() public {
        KinkedRateModel m = new KinkedRateModel(0.01e18, 0.04e18, 0.8e18, 0.6e18);
        assertEq(m.getBorrowRatePerYear(100, 0), 0.01e18, "no debt: base");
        assertEq(m.utilization(100, 0), 0, "no debt: 0");
        assertEq(m.utilization(50, 50), 0.5e18, "half");
        assertEq(m.getBorrowRatePerYear(20, 80), 0.05e18, "at the kink");
        assertEq(m.getBorrowRatePerYear(0, 100), 0.65e18, "full");
        assertEq(m.getBorrowRate(0, 100), (uint256(0.65e18) + 365 days - 1) / 365 days, "per second, up");
        assertEq(m.baseRatePerYear(), 0.01e18, "base");
        assertEq(m.slope1PerYear(), 0.04e18, "slope1");
        assertEq(m.optimalUtilization(), 0.8e18, "optimal");
        assertEq(m.slope2PerYear(), 0.6e18, "slope2");
        assertEq(m.MAX_RATE_PER_YEAR(), 100e18, "max");
    }
}
