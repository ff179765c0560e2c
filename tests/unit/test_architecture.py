# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The layers of plugins/, read from the imports: each imports only what its rule allows, nothing imports in a
circle, nothing reaches into another module's private names, and docs/architecture.md draws what the code says."""

import ast
import os
import re

COLLECTION = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
PLUGINS = os.path.join(COLLECTION, 'plugins')
# Event-Driven Ansible's plugins live outside plugins/, and are one more layer of thin shells.
EVENT_SOURCES = os.path.join(COLLECTION, 'extensions', 'eda', 'plugins', 'event_source')
PREFIX = 'ansible_collections.tencentcloud.cloud.plugins.'
PRIVATE_PACKAGES = ('_api', '_host', '_credentials', '_cvm')
MODULE_UTILS = set(PRIVATE_PACKAGES) | {'module_utils'}
# The one rule of each layer: the layers it may import (its own included).
MAY_IMPORT = {
    '_api': {'_api'},
    '_host': {'_api', '_host'},
    '_credentials': {'_api', '_credentials'},
    '_cvm': {'_api', '_cvm'},
    'module_utils': MODULE_UTILS,
    'plugin_utils': MODULE_UTILS | {'plugin_utils'},
    'modules': MODULE_UTILS,
    'lookup': MODULE_UTILS | {'plugin_utils'},
    'inventory': MODULE_UTILS | {'plugin_utils'},
    'doc_fragments': set(),
    'event_source': MODULE_UTILS | {'plugin_utils'},
}
PICTURE = re.compile(r'<!-- imports: drawn from the code.*?-->\n```\n(.*?)```', re.S)


def modules():
    """``{module path under plugins/ (an event source's: event_source/<name>) without .py: source}``."""
    found = {}
    for top, prefix in ((PLUGINS, ''), (EVENT_SOURCES, 'event_source/')):
        for folder, _dirs, files in os.walk(top):
            for name in files:
                if name.endswith('.py'):
                    path = os.path.join(folder, name)
                    with open(path) as handle:
                        found[prefix + os.path.relpath(path, top)[:-3]] = handle.read()
    return found


def layer(module):
    parts = module.split('/')
    if parts[0] == 'module_utils':
        return parts[1] if parts[1] in PRIVATE_PACKAGES else 'module_utils'
    return parts[0]


def imports(source, known):
    """``[(module imported, [names taken from it])]`` of the collection's own modules."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or '').startswith(PREFIX):
            base = node.module[len(PREFIX):].replace('.', '/')
            for alias in node.names:
                if '%s/%s' % (base, alias.name) in known:
                    found.append(('%s/%s' % (base, alias.name), []))
                else:
                    found.append((base, [alias.name]))
    return found


def graph():
    known = modules()
    return {module: imports(source, known) for module, source in known.items()}, known


def test_each_layer_imports_only_what_its_rule_allows():
    edges, _known = graph()
    broken = ['%s imports %s' % (module, imported) for module, found in edges.items() for imported, _names in found
              if layer(imported) not in MAY_IMPORT[layer(module)]]
    assert broken == []


def test_nothing_imports_in_a_circle():
    edges, _known = graph()
    visiting, done, circles = [], set(), []

    def visit(module):
        if module in done:
            return
        if module in visiting:
            circles.append(visiting[visiting.index(module):] + [module])
            return
        visiting.append(module)
        for imported, _names in edges.get(module, []):
            visit(imported)
        visiting.pop()
        done.add(module)
    for module in sorted(edges):
        visit(module)
    assert circles == []


def test_no_module_takes_a_private_name_of_another():
    edges, known = graph()
    taken = ['%s takes %s from %s' % (module, name, imported) for module, found in edges.items()
             for imported, names in found for name in names if name.startswith('_')]
    for module, source in known.items():
        aliases = {alias.asname or alias.name for node in ast.walk(ast.parse(source))
                   if isinstance(node, ast.ImportFrom) and (node.module or '').startswith(PREFIX)
                   for alias in node.names if '%s/%s' % (node.module[len(PREFIX):].replace('.', '/'), alias.name) in known}
        taken += ['%s reads %s.%s' % (module, node.value.id, node.attr) for node in ast.walk(ast.parse(source))
                  if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                  and node.attr.startswith('_')]
    assert taken == []


def test_every_package_of_module_utils_is_private_and_on_the_map():
    """A leading underscore says a package is the collection's own (its ``__init__.py`` stays empty: ansible-test
    sanity on 2.16 requires it); docs/architecture.md says what each holds."""
    packages = sorted(name for name in os.listdir(os.path.join(PLUGINS, 'module_utils'))
                      if os.path.isdir(os.path.join(PLUGINS, 'module_utils', name)) and name != '__pycache__')
    assert packages == sorted(PRIVATE_PACKAGES)
    with open(os.path.join(COLLECTION, 'docs', 'architecture.md')) as handle:
        page = handle.read()
    assert [package for package in packages if '`module_utils/%s/`' % package not in page] == []


def picture():
    """Each module with what it imports of the collection, layer by layer, as docs/architecture.md draws it (the
    modules of module_utils/ by their path below it)."""
    edges, _known = graph()
    lines = []
    for module in sorted(edges, key=lambda m: (list(MAY_IMPORT).index(layer(m)), m)):
        if module.endswith('__init__'):
            continue
        imported = sorted({_short(name) for name, _names in edges[module]})
        lines.append('%s%s' % (_short(module), (' -> ' + ', '.join(imported)) if imported else ''))
    return '\n'.join(lines) + '\n'


def _short(module):
    return module[len('module_utils/'):] if module.startswith('module_utils/') else module


def test_the_architecture_page_draws_the_imports_as_they_are():
    with open(os.path.join(COLLECTION, 'docs', 'architecture.md')) as handle:
        drawn = PICTURE.search(handle.read())
    assert drawn is not None, 'docs/architecture.md has no picture of the imports'
    assert drawn.group(1) == picture(), 'the picture in docs/architecture.md is stale; it should read:\n' + picture()


INTERNAL = '# FOR INTERNAL COLLECTION USE ONLY'


def test_every_shared_file_not_in_a_private_package_says_it_is_internal():
    """The packages with a leading underscore say it by their name; every other file of module_utils/ and
    plugin_utils/ says it in its first lines, as community.hashi_vault's do: none of it is public interface."""
    unmarked = []
    for folder in ('module_utils', 'plugin_utils'):
        for name in sorted(os.listdir(os.path.join(PLUGINS, folder))):
            path = os.path.join(PLUGINS, folder, name)
            if name.endswith('.py') and name != '__init__.py':
                with open(path) as handle:
                    head = handle.read(600)
                if INTERNAL not in head:
                    unmarked.append('%s/%s' % (folder, name))
    assert unmarked == []


# The use cases: one call each behind a plugin. What they all need is in the rooms they share (task_result,
# cvm_access, selection), never in one another.
USE_CASES = ('module_utils/status_query', 'module_utils/instance_power', 'module_utils/instance_info',
             'module_utils/instance_lifecycle')
SHELLS = ('modules', 'lookup', 'inventory', 'event_source')
# What a shell never imports itself: the service's code and what the processes of a host share.
BEHIND_THE_USE_CASES = ('_cvm', '_host')


def use_case_imports(edges):
    """A use case importing another use case."""
    return ['%s imports %s' % (module, imported) for module, found in edges.items() if module in USE_CASES
            for imported, _names in found if imported in USE_CASES and imported != module]


def shell_reaches_behind(edges):
    """A plugin shell importing the service's or the host's code itself, not through its use case or plugin_utils."""
    return ['%s imports %s' % (module, imported) for module, found in edges.items() if layer(module) in SHELLS
            for imported, _names in found if layer(imported) in BEHIND_THE_USE_CASES]


def test_no_use_case_imports_another():
    edges, _known = graph()
    assert use_case_imports(edges) == []


def test_no_shell_imports_the_services_or_the_hosts_code():
    edges, _known = graph()
    assert shell_reaches_behind(edges) == []


def test_the_rules_find_a_planted_import():
    # The two rules above, shown to fail: a use case that imports another, a shell that imports _cvm.
    edges, _known = graph()
    planted = dict(edges)
    planted['module_utils/instance_power'] = edges['module_utils/instance_power'] + [('module_utils/status_query', [])]
    planted['inventory/cvm'] = edges['inventory/cvm'] + [('module_utils/_cvm/instance_fields', [])]
    assert use_case_imports(planted) == ['module_utils/instance_power imports module_utils/status_query']
    assert shell_reaches_behind(planted) == ['inventory/cvm imports module_utils/_cvm/instance_fields']
