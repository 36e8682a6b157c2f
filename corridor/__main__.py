from corridor.cli import main

main()
