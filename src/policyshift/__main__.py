from policyshift.cli import main

main()
