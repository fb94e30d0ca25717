"""Synthetic demo data: the demo force (``force``), its community concerns (``concerns``)
and its problem-solving plans (``plans``), generated from a seed so tests can pin them."""
