# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the documentation promises is what the code does, checked at the door rather than met by a user: every
environment variable the docs name is read, every one read is documented, and every option a doc fragment documents
has an argument spec behind it."""

import ast
import os
import re

import yaml
from ansible_collections.tencentcloud.cloud.plugins.module_utils import options

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir)
SOURCES = [os.path.join(folder, name) for base in ('plugins', os.path.join('extensions', 'eda', 'plugins'))
           for folder, _dirs, names in os.walk(os.path.join(ROOT, base)) for name in names if name.endswith('.py')]
VARIABLE = re.compile(r'\b(?:TENCENTCLOUD|TKE)_[A-Z_]+\b')


def _documentation(tree):
    """The documentation strings of a module: ``DOCUMENTATION`` wherever it is assigned (plugins, doc fragments)."""
    return [node.value.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
            and any(getattr(target, 'id', None) == 'DOCUMENTATION' for target in node.targets)
            and isinstance(node.value, ast.Constant)]


def _names():
    documented, read = set(), set()
    for path in SOURCES:
        with open(path, encoding='utf-8') as handle:
            tree = ast.parse(handle.read())
        for text in _documentation(tree):
            documented.update(VARIABLE.findall(text))
        # A variable is read where its name stands alone as a string (a key of the environment, a constant).
        read.update(node.value for node in ast.walk(tree)
                    if isinstance(node, ast.Constant) and isinstance(node.value, str) and VARIABLE.fullmatch(node.value))
    return documented, read


def test_every_environment_variable_documented_is_read_and_every_one_read_is_documented():
    documented, read = _names()
    assert read, 'no variable found: the test looks in the wrong place'
    assert sorted(documented - read) == [], 'documented, never read'
    assert sorted(read - documented) == [], 'read, never documented'


def test_every_option_of_a_doc_fragment_has_a_spec():
    specs = set(options.COMMON_ARGUMENT_SPEC) | set(options.WAIT_ARGUMENT_SPEC) | set(
        options.SELECTION_ARGUMENT_SPEC)
    folder = os.path.join(ROOT, 'plugins', 'doc_fragments')
    documented = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith('.py'):
            continue
        with open(os.path.join(folder, name), encoding='utf-8') as handle:
            tree = ast.parse(handle.read())
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and \
                    isinstance(node.value.value, str) and 'options:' in node.value.value:
                fragment = '%s.%s' % (name[:-3], node.targets[0].id)
                documented[fragment] = set((yaml.safe_load(node.value.value) or {}).get('options') or {})
    assert documented, 'no fragment found: the test looks in the wrong place'
    unbacked = {fragment: sorted(names - specs) for fragment, names in documented.items() if names - specs}
    assert unbacked == {}


def test_every_plugins_documentation_parses():
    # ansible-doc, the docsite and Galaxy read these as YAML: a "word: " in a bullet breaks a page at import time.
    broken = []
    for path in SOURCES:
        with open(path, encoding='utf-8') as handle:
            tree = ast.parse(handle.read())
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and \
                    getattr(node.targets[0], 'id', None) in ('DOCUMENTATION', 'EXAMPLES', 'RETURN', 'EVENT_FIELDS'):
                try:
                    yaml.safe_load(node.value.value)
                except yaml.YAMLError as error:
                    broken.append('%s %s: %s' % (os.path.relpath(path, ROOT), node.targets[0].id, error))
    assert broken == []
