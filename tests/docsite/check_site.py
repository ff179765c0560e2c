# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Opens the built documentation site in headless Chromium and checks what a reader would run into.

    python check_site.py SITE COLLECTION OUTPUT

SITE is the built site (``make docsite``), COLLECTION the collection's root (which plugins must have a page),
OUTPUT where the screenshots go. Every page is opened over HTTP on 127.0.0.1 and must log no JavaScript error;
every relative link (and its anchor) must resolve; every plugin of the collection must have its page, with its
options table; the search page must find ``wait_for``. The index and the power module's page are photographed. And
no value or code in the plugins' DOCUMENTATION and RETURN may be cut short by a ``)`` of its own.

Then the checks are shown to fail: a copy of the site with a broken link planted, and one with a plugin page
removed, must each be reported.
"""

import ast
import functools
import glob
import html.parser
import http.server
import os
import posixpath
import re
import shutil
import sys
import tempfile
import threading
import urllib.parse

import yaml
from antsibull_docs_parser import dom
from antsibull_docs_parser.parser import Context, parse
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

SEARCHED = 'wait_for'
SCREENSHOTS = {'index.png': 'index.html', 'power_module.png': 'cvm_instance_power_module.html'}
# How long a page may take to run its scripts (the search page loads its index first).
PAGE_SECONDS = 20
# Plugin folders and the page antsibull-docs makes for each plugin (the event source's is written by
# tools/build-docsite: ansible-doc does not show event sources).
PLUGIN_PAGES = [('plugins/modules', '%s_module.html', 'longtable ansible-option-table'),
                ('plugins/lookup', '%s_lookup.html', 'longtable ansible-option-table'),
                ('plugins/inventory', '%s_inventory.html', 'longtable ansible-option-table'),
                ('extensions/eda/plugins/event_source', 'docsite/event_source.html', 'docutils')]


def main(argv):
    if len(argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    site, collection, output = (os.path.abspath(arg) for arg in argv[1:])
    os.makedirs(output, exist_ok=True)
    with Browser() as browser:
        problems = cut_markup(collection) + check(browser, site, collection, output)
        for problem in problems:
            print('problem: %s' % problem)
        unnoticed = [name for name, plant in PLANTED if not check_planted(browser, site, collection, plant)]
    for name in unnoticed:
        print('problem: the check did not notice %s' % name)
    if problems or unnoticed:
        return 1
    print('the site passed: %d pages, screenshots in %s' % (len(pages_of(site)), output))
    return 0


def check(browser, site, collection, output=None):
    """Every problem a reader would meet on the site, as sentences (none: it passed)."""
    problems = missing_plugin_pages(browser, site, collection) + content_problems(site, collection)
    with Server(site) as base:
        for page in pages_of(site):
            problems += browser.problems_of(base, page, site)
        if not browser.finds(base + 'search.html?q=' + SEARCHED):
            problems.append('the search page finds nothing for %s' % SEARCHED)
        if output:
            for picture, page in SCREENSHOTS.items():
                browser.photograph(base + page, os.path.join(output, picture))
    return problems


def cut_markup(collection):
    """A problem for every value or code in the plugins' docs that a ``)`` of its own ends too early: ``V(a (b))``
    renders ``a (b`` and a stray ``)``. In V(), O(), RV() and E() it is written ``\\)``; C() takes no escape."""
    problems = []
    for folder, _page, _table in PLUGIN_PAGES:
        for path in sorted(glob.glob(os.path.join(collection, folder, '*.py'))):
            for name, text in doc_strings(path):
                for shown in cut_values(text):
                    problems.append('%s %s: %r is cut at its first ")"' % (os.path.relpath(path, collection), name,
                                                                           shown))
    return problems


def doc_strings(path):
    """``(constant, text)`` for each string of the DOCUMENTATION and RETURN of a plugin file (read, not imported)."""
    with open(path, encoding='utf-8') as handle:
        tree = ast.parse(handle.read(), path)
    for node in tree.body:
        if (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id in ('DOCUMENTATION', 'RETURN') and isinstance(node.value, ast.Constant)):
            for text in strings_in(yaml.safe_load(node.value.value)):
                yield node.targets[0].id, text


def strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def cut_values(text):
    for paragraph in parse(text, Context()):
        for part in paragraph:
            shown = part.value if isinstance(part, dom.OptionValuePart) else (
                part.text if isinstance(part, dom.CodePart) else None)
            if shown is not None and shown.count('(') != shown.count(')'):
                yield shown


# What a page must not tell a user while no version is released: to install the collection from Galaxy by name.
GALAXY_INSTALL = 'ansible-galaxy collection install tencentcloud.cloud'


def content_problems(site, collection):
    """What the pages must say: the index names every plugin, the event source page has its table of event fields, and
    no page tells a user to install from Galaxy while no version is released."""
    problems = []
    index = text_of(os.path.join(site, 'index.html'))
    for folder, _page_form, _table_class in PLUGIN_PAGES:
        for path in sorted(glob.glob(os.path.join(collection, folder, '*.py'))):
            name = os.path.splitext(os.path.basename(path))[0]
            if name != '__init__' and 'tencentcloud.cloud.%s' % name not in index:
                problems.append('the index does not name %s (%s)' % (name, folder))
    event_source = os.path.join(site, 'docsite', 'event_source.html')
    if os.path.isfile(event_source) and 'Event fields' not in text_of(event_source):
        problems.append('the event source page has no "Event fields" table')
    problems += ['%s tells users to install from Galaxy, where nothing is released' % page
                 for page in pages_of(site) if GALAXY_INSTALL in text_of(os.path.join(site, page))]
    return problems


def text_of(path):
    with open(path, encoding='utf-8') as handle:
        return re.sub(r'<[^>]+>', '', handle.read())


def pages_of(site):
    return sorted(os.path.relpath(path, site).replace(os.sep, '/')
                  for path in glob.glob(os.path.join(site, '**', '*.html'), recursive=True)
                  if not os.path.relpath(path, site).startswith(('_static', '_sources')))


def missing_plugin_pages(browser, site, collection):
    """A problem for every plugin of the collection without its page, or whose page has no options table."""
    problems = []
    for folder, page_form, table_class in PLUGIN_PAGES:
        for path in sorted(glob.glob(os.path.join(collection, folder, '*.py'))):
            name = os.path.splitext(os.path.basename(path))[0]
            if name == '__init__':
                continue
            page = page_form % name if '%s' in page_form else page_form
            if not os.path.isfile(os.path.join(site, page)):
                problems.append('%s (%s) has no page: %s is missing' % (name, folder, page))
            elif not browser.has_options_table(os.path.join(site, page), table_class):
                problems.append('%s shows no options table' % page)
    return problems


class Browser:
    """Headless Chromium, as Debian installs it (tools/ensure-chromium)."""

    def __enter__(self):
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which('chromium')
        for argument in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
                         '--window-size=1280,1600'):
            options.add_argument(argument)
        options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
        self._driver = webdriver.Chrome(options=options, service=Service(shutil.which('chromedriver')))
        self._driver.set_page_load_timeout(PAGE_SECONDS)
        return self

    def __exit__(self, *_exc):
        self._driver.quit()

    def problems_of(self, base, page, site):
        """The JavaScript errors a page logs, and its relative links that lead nowhere."""
        self._open(base + page)
        problems = ['%s logs a JavaScript error: %s' % (page, entry['message'])
                    for entry in self._driver.get_log('browser') if entry['level'] == 'SEVERE']
        hrefs = self._driver.execute_script(
            "return Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'));")
        for href in sorted(set(hrefs)):
            problem = broken(site, page, href)
            if problem:
                problems.append('%s links to %s: %s' % (page, href, problem))
        return problems

    def finds(self, url):
        """Whether the search page lists any result."""
        self._open(url)
        try:
            WebDriverWait(self._driver, PAGE_SECONDS).until(
                lambda driver: driver.find_elements(By.CSS_SELECTOR, '#search-results li'))
        except TimeoutException:
            return False
        return True

    def has_options_table(self, path, table_class):
        self._open('file://' + path)
        return bool(self._driver.execute_script(
            "return Array.from(document.querySelectorAll('table')).filter("
            "t => t.className.startsWith(arguments[0]) && t.querySelectorAll('tr').length > 1).length;", table_class))

    def photograph(self, url, path):
        self._open(url)
        self._driver.save_screenshot(path)

    def _open(self, url):
        self._driver.get_log('browser')  # what earlier pages logged is theirs
        self._driver.get(url)
        WebDriverWait(self._driver, PAGE_SECONDS).until(
            lambda driver: driver.execute_script('return document.readyState') == 'complete')


def broken(site, page, href):
    """Why a link of ``page`` leads nowhere in the site, or ``None``: other sites and mail are not followed."""
    parts = urllib.parse.urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path)) if parts.path else page
    path = os.path.join(site, target)
    if os.path.isdir(path):
        path = os.path.join(path, 'index.html')
    if target.startswith('..') or not os.path.isfile(path):
        return 'no such page'
    if parts.fragment and path.endswith('.html') and urllib.parse.unquote(parts.fragment) not in ids_of(path):
        return 'no anchor %s there' % parts.fragment
    return None


@functools.lru_cache(maxsize=None)
def ids_of(path):
    collector = _Ids()
    with open(path, encoding='utf-8') as handle:
        collector.feed(handle.read())
    return frozenset(collector.ids)


class _Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for name, value in attrs if name in ('id', 'name') and value)


class Server:
    """The site over HTTP on 127.0.0.1 (the search page loads its index as a script), for the time of a check."""

    def __init__(self, site):
        handler = functools.partial(_QuietHandler, directory=site)
        self._server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return 'http://127.0.0.1:%d/' % self._server.server_address[1]

    def __exit__(self, *_exc):
        self._server.shutdown()
        self._server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *_args):
        pass


def plant_broken_link(site):
    path = os.path.join(site, 'docsite', 'guide.html')
    with open(path, encoding='utf-8') as handle:
        text = handle.read()
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write(text.replace('</body>', '<a href="../no_such_page.html">planted</a></body>', 1))


def remove_a_plugin_page(site):
    os.remove(os.path.join(site, 'cvm_instance_status_lookup.html'))


def plant_galaxy_install(site):
    path = os.path.join(site, 'cvm_instance_power_module.html')
    with open(path, encoding='utf-8') as handle:
        text = handle.read()
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write(text.replace('</body>', '<p>To install it, use: %s</p></body>' % GALAXY_INSTALL, 1))


PLANTED = [('a broken link', plant_broken_link), ('a missing plugin page', remove_a_plugin_page),
           ('a Galaxy install line', plant_galaxy_install)]


def check_planted(browser, site, collection, plant):
    """Whether the check reports a fault planted in a copy of the site."""
    copy = os.path.join(tempfile.mkdtemp(prefix='planted-'), 'site')
    try:
        shutil.copytree(site, copy)
        plant(copy)
        return bool(check(browser, copy, collection))
    finally:
        shutil.rmtree(os.path.dirname(copy))


if __name__ == '__main__':
    sys.exit(main(sys.argv))
