# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# FOR INTERNAL COLLECTION USE ONLY: not a public interface of tencentcloud.cloud; it may change in any release.
"""The one call behind the ``cvm_instance_state`` event source: its arguments checked, then one read of the
watched instances at a time, turned into events; a read that fails is tried again later, with backoff, and one that
never will succeed (bad keys, no permission) ends the watch."""

import dataclasses
import datetime
import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, FrozenSet, List, Mapping, Optional, Tuple

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api import errors
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.clock import SYSTEM_CLOCK, Clock
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.nearest_name import did_you_mean
from ansible_collections.tencentcloud.cloud.plugins.module_utils._api.text import listed
from ansible_collections.tencentcloud.cloud.plugins.module_utils._credentials.keys import CREDENTIAL_OPTIONS
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.describe_instances import (
    InstanceReader, api_filters,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.service import (
    FORBIDDEN_REGION_CODES, normalize_instance_ids,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils._cvm.state_changes import ChangeDetector, Sighting
from ansible_collections.tencentcloud.cloud.plugins.module_utils.clients import Clients
from ansible_collections.tencentcloud.cloud.plugins.module_utils.cvm_access import (
    cvm_access, regional_clients, resolved_regions,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils.options import (
    COMMON_ARGUMENT_SPEC, Options, checked_regions,
)
from ansible_collections.tencentcloud.cloud.plugins.module_utils.settings import Settings

WATCH_ARGUMENT_SPEC: Dict[str, Dict[str, Any]] = dict(
    regions=dict(type='list', elements='str'),
    instance_ids=dict(type='list', elements='str'),
    filters=dict(type='dict'),
    interval=dict(type='float', default=30.0),
    initial=dict(type='bool', default=False),
    strict_permissions=dict(type='bool', default=True),
)
INTERVAL_BOUNDS = (1.0, 24 * 3600.0)
# The common options without their fallbacks, which read the process's environment: the watch is given its own.
_SPEC: Dict[str, Dict[str, Any]] = dict({name: {key: value for key, value in spec.items() if key != 'fallback'}
                                         for name, spec in COMMON_ARGUMENT_SPEC.items()}, **WATCH_ARGUMENT_SPEC)
# After failed reads the next comes later and later (interval, twice it, four times...), up to this or the interval.
MAX_BACKOFF_SECONDS = 300.0
# A region the keys may not read (strict_permissions false) is said again after this long, not at every read.
SKIPPED_REGION_WARNING_SECONDS = 3600.0
# The service's answer to temporary credentials it no longer takes: healed by fetching new ones.
TOKEN_FAILURE = 'AuthFailure.TokenFailure'


@dataclasses.dataclass(frozen=True)
class WatchSettings:
    """What to watch and how often: ``regions`` (``None``: every region the account can use, found when the watch
    opens), ``instance_ids`` (``None``: every instance the ``filters`` let through)."""

    regions: Optional[List[str]]
    instance_ids: Optional[List[str]]
    filters: List[Dict[str, Any]]
    interval: float
    initial: bool
    strict_permissions: bool = True

    def summary(self) -> str:
        """What is watched, in words."""
        if self.instance_ids is not None:
            what = '%d instance(s)' % len(self.instance_ids)
        elif self.filters:
            what = 'the instances matching %d filter(s)' % len(self.filters)
        else:
            what = 'every instance'
        regions = 'every region' if self.regions is None else ', '.join(self.regions)
        return '%s of %s, read every %g s' % (what, regions, self.interval)


@dataclasses.dataclass(frozen=True)
class Poll:
    """What one read gave: the ``events``, how long until the next read, and what to warn of."""

    events: List[Dict[str, Any]]
    delay: float
    warnings: List[str]


class ReadFailed(Exception):
    """A region could not be read: named in the message, with the ``error`` of the call that failed."""

    def __init__(self, region: str, error: errors.TencentCloudError):
        super().__init__('%s: %s' % (region, error))
        self.error = error


class WatchFailed(Exception):
    """The watch cannot go on (bad arguments, or a read that will never succeed); the message is one line."""


def watch_arguments(args: Mapping[str, Any], environ: Mapping[str, str]) -> Tuple[Settings, WatchSettings, Options]:
    """``(Settings, WatchSettings, Options)`` of the source's arguments, every one checked before any call.

    Raises ``OptionError`` naming the argument.
    """
    if not isinstance(args, Mapping):
        raise errors.OptionError('the arguments must be a mapping of names to values')
    args = {name: value for name, value in args.items() if name != 'eda_feedback_queue'}
    if args.get('region') and args.get('regions'):
        raise errors.OptionError('region and regions are mutually exclusive: give one')
    if args.get('instance_ids') and args.get('filters'):
        raise errors.OptionError('instance_ids and filters are mutually exclusive: give one')
    unknown = sorted(str(name) for name in args if name not in _SPEC)
    if unknown:
        raise errors.OptionError('unknown argument%s %s; the arguments are %s' % (
            's' if len(unknown) > 1 else '', ', '.join(name + did_you_mean(name, _SPEC) for name in unknown),
            ', '.join(sorted(_SPEC))))
    validated = ArgumentSpecValidator(_SPEC).validate(_with_environment(args, environ))
    if validated.error_messages:
        # Every argument is known by now (above), so these are values of the wrong type or choice.
        raise errors.OptionError('; '.join(validated.error_messages))
    values = validated.validated_parameters
    interval = values['interval']
    low, high = INTERVAL_BOUNDS
    if not low <= interval <= high:
        raise errors.OptionError('interval must be a number of seconds from %g to %g, not %s' % (low, high, interval))
    instance_ids = values['instance_ids']
    if instance_ids == []:
        # An empty list (a template that found nothing, say) must not widen the watch to the whole region.
        raise errors.OptionError('instance_ids is empty: give at least one ID, or leave it out to watch every instance')
    filters = api_filters('filters', values['filters'] or {})
    settings, regions = checked_regions(values, values['regions'], environ)
    watch = WatchSettings(regions, None if instance_ids is None else normalize_instance_ids(instance_ids), filters,
                          interval, values['initial'], values['strict_permissions'])
    return settings, watch, Options(values, [('arguments', {name: args.get(name) for name in CREDENTIAL_OPTIONS})])


def _with_environment(args: Mapping[str, Any], environ: Mapping[str, str]) -> Dict[str, Any]:
    """``args`` with what the environment variables of the common options set (``environ``, not the process's)."""
    given = dict(args)
    for name, spec in COMMON_ARGUMENT_SPEC.items():
        if given.get(name) is None and 'fallback' in spec:
            value = next((environ[variable] for variable in spec['fallback'][1] if environ.get(variable)), None)
            if value is not None:
                given[name] = value
    return given


def open_watch(args: Mapping[str, Any], environ: Mapping[str, str], clock: Clock = SYSTEM_CLOCK) -> 'StateWatch':
    """A ``StateWatch`` of the source's ``args``; ``WatchFailed`` for bad arguments or credentials, before any read."""
    try:
        settings, watch, options = watch_arguments(args, environ)
    except errors.OptionError as error:
        raise WatchFailed('cvm_instance_state: %s' % error) from None
    clients = Clients(settings, environ, clock)
    clients.warnings.extend(secret_argument_warnings(args))
    try:
        access = cvm_access(clients, options)
    except (errors.OptionError, errors.TencentCloudError) as error:
        clients.close()
        raise WatchFailed('cvm_instance_state: %s' % error) from None
    if watch.regions is None:
        try:
            watch = dataclasses.replace(watch, regions=resolved_regions(access, None))
        except errors.TencentCloudError as error:
            clients.close()
            raise WatchFailed('cvm_instance_state: cannot list the regions of the account (DescribeRegions): %s'
                              % error) from None
    readers = {region: InstanceReader(client)
               for region, client in regional_clients(clients, access, watch.regions or []).items()}
    # Temporary credentials the service stops taking are fetched anew; static ones cannot be.
    renew = getattr(access.credentials, 'discard', None)
    return StateWatch(readers, watch, clock, clients.warnings, close=clients.close, renew_credentials=renew,
                      before_each_read=clients.reopen_private_directory_if_replaced)


# Arguments that hold a secret: ansible-rulebook prints a source's arguments at -vv, so they may end in a log.
SECRET_ARGUMENTS = ('secret_key', 'security_token')


def secret_argument_warnings(args: Mapping[str, Any]) -> List[str]:
    """A warning for each secret given as a source argument, naming the safer ways."""
    return ['%s is given as an argument of the source: ansible-rulebook prints the arguments of a source at -vv, '
            'secrets included, so it may end up in a log or a job\'s output; give the keys through the environment '
            '(TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY, TENCENTCLOUD_SECURITY_TOKEN), a profile, the '
            'instance\'s CAM role or TKE OIDC instead' % name for name in SECRET_ARGUMENTS if args.get(name)]


class StateWatch:
    """Reads the watched instances of every region (``readers``: ``{region: InstanceReader}``) when ``poll`` is called,
    and tells what changed since the last good read."""

    def __init__(self, readers: Mapping[str, InstanceReader], settings: WatchSettings, clock: Clock = SYSTEM_CLOCK,
                 warnings: Optional[List[str]] = None, close: Callable[[], None] = lambda: None,
                 renew_credentials: Optional[Callable[[], None]] = None, rng: Callable[[], float] = random.random,
                 before_each_read: Callable[[], None] = lambda: None):
        self.settings = settings
        # What a watch that runs for months does before each read: take the private directory made anew, say.
        self._before_each_read = before_each_read
        self._readers = readers
        self._clock = clock
        self._warnings = [] if warnings is None else warnings
        self._close = close
        self._renew_credentials = renew_credentials
        self._rng = rng
        self._detector = ChangeDetector(settings.initial)
        self.failures_in_a_row = 0
        # What each region listed at its last good read: a region skipped since (strict_permissions false) keeps
        # it, so that its instances do not seem to disappear.
        self._last_listed: Dict[str, List[Sighting]] = {}
        # When each skipped region was last said to be skipped (monotonic).
        self._skipped_told: Dict[str, float] = {}
        # The watched IDs no region listed yet (None before the first good read).
        self._unlisted: Optional[List[str]] = None
        # What the last poll warned of: a warning every read would give again (an endpoint's item not of the
        # documented form, say) is told once, not every interval.
        self._told: FrozenSet[str] = frozenset()

    def poll(self) -> Poll:
        """One read: its events and the delay until the next; ``WatchFailed`` when reading cannot succeed."""
        started = self._clock.monotonic()
        self._before_each_read()
        try:
            seen = self._read()
        except ReadFailed as failure:
            return self._failed(failure)
        self.failures_in_a_row = 0
        self._tell_unlisted(seen)
        events = self._detector.observe(seen, observed_at(self._clock.wall()))
        elapsed = self._clock.monotonic() - started
        return Poll(events, max(0.0, self.settings.interval - elapsed), self._new_warnings())

    def close(self) -> None:
        self._close()

    def _read(self) -> Dict[str, Sighting]:
        regions = self.settings.regions or []
        with ThreadPoolExecutor(max_workers=len(regions)) as pool:
            listed = list(pool.map(self._read_region, regions))
        return {sighting.instance_id: sighting for sightings in listed for sighting in sightings}

    def _read_region(self, region: str) -> List[Sighting]:
        reader = self._readers[region]
        try:
            if self.settings.instance_ids is not None:
                items = list(reader.described(self.settings.instance_ids).values())
            else:
                items = reader.matching(self.settings.filters)
        except errors.TencentCloudError as error:
            if self.settings.strict_permissions or error.code not in FORBIDDEN_REGION_CODES:
                raise ReadFailed(region, error) from None
            self._tell_skipped(region, error)
            return self._last_listed.get(region, [])
        self._last_listed[region] = [Sighting.of(region, item) for item in items]
        return self._last_listed[region]

    def _tell_skipped(self, region: str, error: errors.TencentCloudError) -> None:
        now = self._clock.monotonic()
        told = self._skipped_told.get(region)
        if told is None or now - told >= SKIPPED_REGION_WARNING_SECONDS:
            self._skipped_told[region] = now
            self._warnings.append('%s skipped, the keys may not read it (strict_permissions is false; said again '
                                  'in an hour if it lasts): %s' % (region, error))

    def _tell_unlisted(self, seen: Mapping[str, Sighting]) -> None:
        """Warn of watched IDs no region lists, at the first read; and of each when it is listed at last."""
        if self.settings.instance_ids is None:
            return
        unlisted = [i for i in self.settings.instance_ids if i not in seen]
        if self._unlisted is None:
            if unlisted:
                self._warnings.append('not listed in %s: %s; watched until they are (an instance of another region, '
                                      'or one that no longer exists, never will be)'
                                      % (', '.join(self.settings.regions or []), listed(unlisted)))
        else:
            for instance_id in self._unlisted:
                if instance_id in seen:
                    self._warnings.append('%s is listed now, in %s' % (instance_id, seen[instance_id].region))
        self._unlisted = unlisted

    def _failed(self, failure: 'ReadFailed') -> Poll:
        if not self._heals(failure.error):
            raise WatchFailed('cvm_instance_state: cannot read the instances of %s' % failure) from None
        self.failures_in_a_row += 1
        delay = self._backoff()
        warning = ('reading the instances failed (%d in a row), next attempt in %.1f s: %s'
                   % (self.failures_in_a_row, delay, failure))
        return Poll([], delay, self._new_warnings() + [warning])

    def _heals(self, error: errors.TencentCloudError) -> bool:
        """Whether a later read may succeed: throttling, faults on the way, timeouts, a clock corrected since, and
        temporary credentials the service stopped taking (new ones are fetched)."""
        if error.code == TOKEN_FAILURE and self._renew_credentials is not None:
            self._renew_credentials()
            return True
        return error.retryable or error.code in (errors.SIGNATURE_EXPIRE, errors.CREDENTIAL_UNAVAILABLE)

    def _backoff(self) -> float:
        """The interval, doubled at each failure in a row up to ``MAX_BACKOFF_SECONDS``; half of it jittered, so that
        watches failing together do not come back together."""
        interval = self.settings.interval
        longest = min(max(interval, MAX_BACKOFF_SECONDS), interval * 2 ** (self.failures_in_a_row - 1))
        return longest / 2 + self._rng() * longest / 2

    def _new_warnings(self) -> List[str]:
        # Handed over and forgotten: a watch runs for months, its clients' warnings must not pile up.
        given = list(dict.fromkeys(self._warnings))
        del self._warnings[:]
        new = [warning for warning in given if warning not in self._told]
        self._told = frozenset(given)
        return new


def observed_at(wall: float) -> str:
    """A wall-clock time as ISO 8601 in UTC, to the millisecond."""
    return datetime.datetime.fromtimestamp(wall, datetime.timezone.utc).isoformat(timespec='milliseconds')
