from strata.upgrades.cli import main

main()
