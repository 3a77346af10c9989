"""The synthetic dossier generator, with its ground truth kept apart from the vault.

``generate`` draws the world and its reports as plain values; ``load`` writes them through
the Django models; ``truth`` reads and writes the ground-truth file.
"""

from dhakira.apps.demo.generate import DemoParams, build_world, iter_chunks

__all__ = ["DemoParams", "build_world", "iter_chunks"]
