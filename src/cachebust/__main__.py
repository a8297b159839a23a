from cachebust.cli import main

main()
