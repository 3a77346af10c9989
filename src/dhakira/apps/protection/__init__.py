"""Protection casework: helping people at risk get out, keeping as little about them as possible.

The Django app ``dhakira.apps.protection``. The whole app is one compartment (``protection``):
users without that clearance get 404 on every page and see no count, link or search hit.
"""

__all__: list[str] = []
