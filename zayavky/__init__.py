"""Zayavky: residents' requests from the city Contact Center, handled under order No. 170-р."""
