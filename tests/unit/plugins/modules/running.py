# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running a module's ``main`` in-process: its arguments in, its exit code and JSON answer out."""

import contextlib
import json

import pytest
from ansible.module_utils import basic

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core before 2.19
    @contextlib.contextmanager
    def patch_module_args(args):
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = json.dumps({'ANSIBLE_MODULE_ARGS': args}).encode('utf-8')
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved


def run_main(main, args, capsys, clock, never_shown):
    """``(exit code, answer)`` of ``main(clock)`` given ``args``; ``never_shown`` must not appear in its output."""
    with patch_module_args(args), pytest.raises(SystemExit) as exited:
        main(clock)
    output = capsys.readouterr().out
    assert never_shown not in output
    return exited.value.code, json.loads(output)
