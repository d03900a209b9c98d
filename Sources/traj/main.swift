import TrajCLI

TrajCommand.main()
