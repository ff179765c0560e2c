# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Faults on request: what a broken or hostile endpoint does, for the client to come out of unharmed."""

import json
import struct
import zlib

from .errors import ScenarioError


class Fault:
    """One injected fault: what happens, to which requests, how often."""

    KINDS = ('api_error', 'http_status', 'reset', 'truncated', 'no_response', 'slow',
             # What a hostile or broken endpoint does; the client must come out of each unharmed.
             'redirect', 'trickle', 'silent', 'gzip_bomb', 'oversized', 'endless', 'duplicate', 'echo', 'escape',
             'long_page', 'hostile_item', 'tag_flood')
    # Kinds that may come after the request was carried out (applied: true).
    AFTER_APPLYING = ('api_error', 'http_status', 'reset', 'silent', 'truncated')
    # Kinds that answer normally, then spoil the answer.
    SPOILERS = ('trickle', 'endless', 'duplicate', 'long_page', 'hostile_item', 'tag_flood')

    def __init__(self, spec, rng):
        self.kind = spec['kind']
        if self.kind not in self.KINDS:
            raise ScenarioError('fault kind %r is not one of %s' % (self.kind, ', '.join(self.KINDS)))
        self.spec = spec
        self.remaining = spec.get('count')
        self.rate = spec.get('rate')
        # Matching requests let through first: a fault in the middle of a run, not at its start.
        self.skip = spec.get('skip', 0)
        if self.remaining is None and self.rate is None:
            raise ScenarioError('fault %r needs a count or a rate' % spec)
        self._rng = rng
        # The request is carried out as if nothing were wrong, and its answer is then lost or replaced: what a
        # client must not take for a refusal.
        self.applied = bool(spec.get('applied'))
        if self.applied and self.kind not in self.AFTER_APPLYING:
            raise ScenarioError('fault %r cannot come after the request was carried out' % spec)

    def matches(self, region, instance_ids, action=None):
        if self.spec.get('region') and self.spec['region'] != region:
            return False
        if self.spec.get('action') and self.spec['action'] != action:
            return False
        if self.spec.get('instance') and self.spec['instance'] not in instance_ids:
            return False
        # A call for at least this many IDs: one that several callers share, say.
        return len(instance_ids) >= self.spec.get('min_ids', 0)

    def fire(self):
        """Whether this fault hits the current (matching) request; call under the emulator's lock."""
        if self.skip > 0:
            self.skip -= 1
            return False
        if self.remaining is not None:
            if self.remaining <= 0:
                return False
            self.remaining -= 1
            return True
        return self._rng.random() < self.rate


def spoil(fault, response):
    """Answers that are well-formed JSON but not to be believed."""
    kind = fault.kind if fault is not None else None
    if kind == 'endless':
        # With Offset ignored (offset_ignored()) and a count that never ends, a client paging blindly never stops.
        response['TotalCount'] = 10 ** 9
    elif kind == 'long_page':
        # More items than the Limit asked for (always 100 here): a page of 180,000 grew a reader to 2.7 GB.
        key = 'InstanceSet' if 'InstanceSet' in response else 'InstanceStatusSet'
        response[key] = (response.get(key) or []) + [
            {'InstanceId': 'ins-pad%05d' % n, 'InstanceState': 'RUNNING'} for n in range(101)]
    elif kind == 'duplicate' and response.get('InstanceStatusSet'):
        first = dict(response['InstanceStatusSet'][0])
        first['InstanceState'] = 'STOPPED' if first['InstanceState'] != 'STOPPED' else 'RUNNING'
        response['InstanceStatusSet'].append(first)
    elif kind == 'hostile_item':
        # One more item, of the fields given (InstanceId first of all: whatever a hostile endpoint likes).
        key = 'InstanceSet' if 'InstanceSet' in response else 'InstanceStatusSet'
        if key in response:
            response[key].append(dict({'InstanceState': 'RUNNING'}, **fault.spec.get('item', {})))
    elif kind == 'tag_flood':
        flood_tags(response, fault.spec.get('size', 10 * 1024 * 1024 - 64 * 1024))


def flood_tags(response, size):
    """Every instance of a DescribeInstances page tagged until the page is about ``size`` bytes of JSON: distinct
    keys of 100 characters, values of 300 (more than the service allows of either)."""
    items = response.get('InstanceSet') or []
    if not items:
        return
    # One tag as JSON: {"Key": "<100>", "Value": "<300>"}, and its separator.
    per_tag = 100 + 300 + len('{"Key": "", "Value": ""}, ')
    count = max(1, size // len(items) // per_tag)
    value = 'v' * 300
    for item in items:
        item['Tags'] = [{'Key': '%s-%06d' % ('k' * 93, n), 'Value': value} for n in range(count)]


def offset_ignored(body):
    params = json.loads(body.decode('utf-8'))
    params.pop('Offset', None)
    return json.dumps(params).encode('utf-8')


_BOMBS = {}


def gzip_bomb(size):
    """``size`` bytes of zeros (whole MiB), gzipped (about 1 KiB per MiB), made once per size.

    Compressing 1 GiB takes seconds of CPU, which a loaded machine stretches past the client's request_timeout: one
    MiB is compressed instead, its block (the same after each full flush, which empties the history) repeated.
    """
    if size not in _BOMBS:
        chunk = bytes(1 << 20)
        packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
        crc = 0
        for _n in range(size >> 20):
            crc = zlib.crc32(chunk, crc)
        header = b'\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff'
        trailer = struct.pack('<II', crc, size & 0xffffffff)
        _BOMBS[size] = header + block * (size >> 20) + packer.flush() + trailer
    return _BOMBS[size]
