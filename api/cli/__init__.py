"""The ``regioledger`` command line, one module per group of commands; ``main`` puts them
together and ``options`` holds what they share."""
