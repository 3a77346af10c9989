"""Field kits and the office: devices, bundles in and out, and where merged records came from.

The vault side of :mod:`dhakira.core.sync`: a kit packs what the office has not acknowledged
(:mod:`dhakira.apps.fieldkit.kit`), the office enrols devices and merges their bundles
(:mod:`dhakira.apps.fieldkit.office`). See docs/field-kits.md.
"""
