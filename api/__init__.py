"""The edges of regioledger: the command line (cli/), the HTTP API (http/), the dashboard
(web/) and the Excel intake (statements/). Nothing imports api."""
