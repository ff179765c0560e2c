# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The two ways the emulator says no: an API error answer, and a scenario it cannot run."""


class ApiError(Exception):
    """Answered as ``{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`` with HTTP 200, like the services."""

    def __init__(self, code, message):
        super().__init__(code, message)
        self.code = code
        self.message = message


class ScenarioError(ValueError):
    pass
