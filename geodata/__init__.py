"""Pure domain package: ward boundaries, police.uk records and the join between them.

It never imports Flask, SQLAlchemy or ``service`` so that every figure can be reproduced
from frames alone, in a notebook or a test, without an app or a database.
"""
