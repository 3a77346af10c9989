"""Report and evidence search: the index (:mod:`.models`), indexing and queries (:mod:`.services`).

Django imports this package when it sets up the app, before any model may load: it holds
nothing, so setting up the app loads neither the ORM's query machinery nor another app's
models. Import :mod:`dhakira.apps.search.services` where a search or an index update is
needed.
"""
