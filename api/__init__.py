"""The edges of regioledger: the command line (and, later, the HTTP API). Nothing imports api."""
