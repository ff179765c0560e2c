# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The project's API reference files, read where they are kept rather than copied into the collection."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os


def reference_dir():
    """``shared/reference`` beside the collection root (the test runner links it there in its copy of the tree)."""
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(here, '..', '..', '..', 'shared', 'reference')


def load_reference_json(name):
    with open(os.path.join(reference_dir(), name)) as handle:
        return json.load(handle)
