"""Read models: what the pages, API and reports read, built from the store by the domain.

Each module turns stored records into the objects a page shows (a ward's profile, its
priorities, the force overview, plan evaluations, the planning table), kept per data version.
Their names differ from the domain modules they call (``geodata.profile``,
``geodata.priorities`` ...) so an import says which side of the line it is on.
"""
