# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``python tests/emulator ...`` runs the emulator package (see server.py)."""

import importlib
import os
import sys

# Run as a directory, this file is top-level: import the package from its parent, so that its relative imports work.
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.exit(importlib.import_module('emulator.server').main())
