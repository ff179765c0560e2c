# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The hostile fields of hostile_fields.yml: python hostile_fields.py scenario MARKERS prints the emulator's scenario;
python hostile_fields.py check MARKERS RESULTS checks what the rulebook's playbooks and module recorded.

Each payload writes a marker file into MARKERS when anything renders it as a template. What must hold, on every
ansible-core version: no marker, every field a string, and each one the instance's text as the owner wrote it, or
visibly changed in the documented way (the guide's way back gives the text again).
"""

import json
import os
import sys

INSTANCES = ['ins-rbname01', 'ins-rbname02', 'ins-rbname03', 'ins-rbname04']


def payloads(markers):
    def touch(name):
        return "lookup('pipe', 'touch %s/%s')" % (markers, name)
    names = {
        # A Python string literal whose escapes decode into a template, under a native rendering.
        'ins-rbname01': "'\\x7b\\x7b %s }}'" % touch('name-escaped'),
        # A Jinja header that changes the delimiters of the rest (ansible-core 2.16 honours it).
        'ins-rbname02': "#jinja2:variable_start_string:'@',variable_end_string:'@'@ %s @" % touch('name-header'),
        # A number, which a native rendering would make an int; and a name ending in a brace, beside a tag that
        # begins with one.
        'ins-rbname03': '123',
        'ins-rbname04': 'web {',
    }
    tags = {
        'template': '{{ %s }}' % touch('tag-template'),
        'header': "#jinja2:variable_start_string:'@',variable_end_string:'@'@ %s @" % touch('tag-header'),
        'escaped': "'\\x7b\\x7b %s }}'" % touch('tag-escaped'),
        'concatenated': "'{' '{ %s }}'" % touch('tag-concatenated'),
        'number': '42',
        'boolean': 'True',
        'none': 'None',
        'dict': "{'injected': ['a', 1]}",
        'list': "['a', 1]",
        'join': '{ %s }}' % touch('tag-join'),
        'comment': '## a line comment, %% a line statement',
    }
    return names, tags


def scenario(markers):
    names, tags = payloads(markers)
    return {'instances': [{'id': i, 'name': names[i], 'tags': tags, 'state': 'RUNNING'} for i in INSTANCES]}


def restored(text):
    """The guide's way back: each full-width stand-in to its character, the literal mark dropped."""
    text = text[1:] if text.startswith('\u2039') else text
    for stand_in, char in zip('\uff5b\uff5d\uff03\uff05\uff07\uff02\uff3c', '{}#%\'"\\'):
        text = text.replace(stand_in, char)
    return text


def is_text(type_name):
    """A string's type as type_debug names it: str, AnsibleUnicode or AnsibleUnsafeText (2.16), a tagged str (2.19
    and later); never int, bool, NoneType, dict, list or their Ansible kinds."""
    return type_name in ('str', 'AnsibleUnicode', 'AnsibleUnsafeText', '_AnsibleTaggedStr')


def check(markers, results):
    names, tags = payloads(markers)
    leaked = sorted(os.listdir(markers))
    assert not leaked, 'rendered as templates: %s' % leaked
    recorded = sorted(os.listdir(results))
    expected = ['run_module-%s.txt' % i for i in INSTANCES] + ['run_playbook-%s.json' % i for i in INSTANCES] + \
        ['post_event-%s.json' % i for i in INSTANCES] + ['set_fact-ins-rbname01.json']
    assert sorted(expected) == recorded, recorded
    for entry in recorded:
        with open(os.path.join(results, entry)) as handle:
            content = handle.read()
        instance = entry.split('-', 1)[1].rsplit('.', 1)[0]
        if entry.startswith('run_module-'):
            name, joined = content.split('|', 1)
            assert restored(name) == names[instance], (entry, content)
            assert joined.startswith(name) and restored(joined[len(name):]) == tags['join'], (entry, content)
            continue
        document = json.loads(content)
        fields, types = document['fields'], document['types']
        assert all(is_text(kind) for kind in types.values()), (entry, types)
        assert restored(fields['name']) == names[instance], (entry, fields['name'])
        assert fields['joined'].startswith(fields['name']), (entry, fields)
        assert restored(fields['joined'][len(fields['name']):]) == tags['join'], (entry, fields)
        for field, value in fields.items():
            if field.startswith('tag_'):
                assert restored(value) == tags[field[4:]], (entry, field, value)
        if entry.startswith('run_playbook-'):
            # The whole event, as the playbook gets it.
            assert restored(document['whole_name']) == names[instance], (entry, document['whole_name'])
            assert all(is_text(kind) for kind in document['whole_tag_types']), (entry, document['whole_tag_types'])
            assert {key: restored(value) for key, value in document['whole_tags'].items()} == tags, entry
    print('hostile fields: %d records, every field text, no template rendered' % len(recorded))


if __name__ == '__main__':
    if sys.argv[1] == 'scenario':
        print(json.dumps(scenario(sys.argv[2])))
    else:
        check(sys.argv[2], sys.argv[3])
