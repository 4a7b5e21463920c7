from noetl.server import main

main()
