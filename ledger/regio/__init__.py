"""The Regio Deals on the double-entry core: the objects (envelope, tranche, deal,
beschikking, …), their accounts, the entries each operation books, and the rules. Pure."""
