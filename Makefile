# tencentcloud.cloud - quick start: `make demo`, then `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The newest supported ansible-core by default; `make test` also runs the checks on the oldest (2.16, Python 3.11).
PYTHON_VERSION ?= 3.12
PYTHON ?= $(shell tools/find-python $(PYTHON_VERSION))
VENV ?= .venv
REQUIREMENTS ?= tools/requirements-test.txt
BENCH_VENV ?= .venv-bench
DOCSITE_VENV ?= .venv-docsite
# Where `make docsite` puts the built site (ignored by git).
DOCSITE ?= build/docsite
MUTATION_VENV ?= .venv-mutation
BIN := $(CURDIR)/$(VENV)/bin
# ansible-test finds pythonX.Y on PATH: the virtualenv's comes first.
IN_TREE := PATH="$(BIN):$$PATH" tools/in-collection-tree
ANSIBLE_TEST := ansible-test
TEST_FLAGS := --python $(PYTHON_VERSION) --color no

.PHONY: help venv test check checks conformance units units-under-load sanity sanity-venvs typecheck integration demo demo-run demo-events demo-events-run docs bench \
	mutation clean docsite docsite-check package-check

help:
	@echo "make demo   - start the local CVM emulator and run docs/examples/wait_until_running.yml"
	@echo "make demo-events - the same emulator, watched by ansible-rulebook with the collection's event source"
	@echo "make test   - every check CI runs: ansible-test units, sanity and integration on ansible-core 2.21 and"
	@echo "              2.16, the Galaxy/Automation Hub/AWX conformance tools and the docsite, side by side, then"
	@echo "              the targets timed against the clock; each part's time printed at the end"
	@echo "make check  - the fast loop between commits: units, sanity, types and the smoke targets on ansible-core 2.21"
	@echo "make units | sanity | typecheck | integration - one part on ansible-core 2.21; integration TARGETS=<target or group/NAME/>"
	@echo "              runs some targets only (group/smoke/, group/power/, group/status/, group/events/...)"
	@echo "make units-under-load - the unit suite 5 times in random order beside two CPU-bound processes"
	@echo "make bench  - benchmarks against the emulator and tccli/SDK; writes docs/performance.md"
	@echo "make docs   - regenerate docs/reliability.md from the reliability integration target"
	@echo "make docsite - build the documentation site with antsibull-docs into $(DOCSITE) (open index.html)"
	@echo "make docsite-check - build it, then check it in headless Chromium (part of make test)"
	@echo "make mutation - mutation testing of plugins/module_utils with the unit tests; writes docs/mutation.md"
	@echo "              (MUTANTS='*describe_instances.*' some mutants only, into tests/output/mutation.md)"
	@echo "make clean  - remove the virtualenv and build leftovers"

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt $(REQUIREMENTS) tools/requirements-test-common.txt tools/requirements-uv.txt
	tools/make-venv $(VENV) "$(PYTHON)" requirements.txt $(REQUIREMENTS)
	touch $@

# The oldest supported ansible-core's checks run in a virtualenv of their own.
OLDEST := VENV=.venv-2.16 PYTHON_VERSION=3.11 REQUIREMENTS=tools/requirements-test-2.16.txt

# The targets that hold the collection to wall-clock bounds (a read within so many seconds more than a plain one, so
# many calls per host while forks wait together) run last, with the machine to themselves: beside the other parts
# they would measure the load; the reliability matrix's other rows (the reliability target) run among the checks.
# The smoke targets run first, one ansible-core after the other: ansible-test makes its SSH key on its first
# integration run, and parallel first runs would race to write it.
INTEGRATION_FIRST := group/smoke/
INTEGRATION_TIMED := group/timed/
# fleet_wait bounds the requests of forks that share their reads: beside another version's reliability target its
# forks gathered fewer reads at once (61 and 63 requests for 40 hosts, bound 60), so it runs last, alone.
INTEGRATION_ALONE := fleet_wait
# The documentation snippets run after the parts that end first (conformance on 2.21, the static checks on 2.16),
# not in the integration parts, which would otherwise run alone at the end of the checks, each using a core part-time.
INTEGRATION_SNIPPETS := group/docs/
INTEGRATION_REST := $(foreach group,$(INTEGRATION_FIRST) $(INTEGRATION_TIMED) $(INTEGRATION_SNIPPETS),--exclude $(group))
# 2.21's reliability rows (196 CPU-s) run after its static checks, the part that ends first; 2.16's (fewer rows)
# with its other targets.
INTEGRATION_RELIABILITY := reliability
# Targets whose behaviour no ansible-core version changes (the reason is in each one's aliases) run on the newest only.
NEWEST_ONLY := --exclude group/newest_core_only/

# Everything CI runs. The setup comes first (virtualenvs, and the Debian packages, whose installer takes one lock),
# then the independent parts side by side, each with a log of its own; tools/run-parts reports each one's time.
test:
	tools/check-standalone
	tools/ensure-java
	tools/ensure-chromium
	tools/run-parts setup-2.21 "$(MAKE) venv sanity-venvs" setup-2.16 "$(MAKE) venv sanity-venvs $(OLDEST)" \
		setup-docsite "$(MAKE) $(DOCSITE_VENV)/.installed"
	tools/run-parts smoke-2.21 "$(MAKE) integration TARGETS=$(INTEGRATION_FIRST)"
	tools/run-parts smoke-2.16 "$(MAKE) integration TARGETS=$(INTEGRATION_FIRST) $(OLDEST)"
	tools/run-parts \
		static-reliability-2.21 "$(MAKE) units sanity typecheck && \
			$(MAKE) integration TARGETS=$(INTEGRATION_RELIABILITY)" \
		static-snippets-2.16 "$(MAKE) units sanity typecheck $(OLDEST) && \
			$(MAKE) integration TARGETS=$(INTEGRATION_SNIPPETS) $(OLDEST)" \
		integration-2.21 "$(MAKE) integration TARGETS='$(INTEGRATION_REST) --exclude $(INTEGRATION_RELIABILITY)'" \
		integration-2.16 "$(MAKE) integration TARGETS='$(INTEGRATION_REST) $(NEWEST_ONLY)' $(OLDEST)" \
		conformance-docsite-snippets-2.21 "$(MAKE) conformance && $(MAKE) docsite-check && $(MAKE) package-check && \
			$(MAKE) integration TARGETS=$(INTEGRATION_SNIPPETS)"
	tools/run-parts timed-2.21 "$(MAKE) integration TARGETS='$(INTEGRATION_TIMED) --exclude $(INTEGRATION_ALONE)'" \
		timed-2.16 "$(MAKE) integration TARGETS='$(INTEGRATION_TIMED) $(NEWEST_ONLY)' $(OLDEST)"
	tools/run-parts alone-2.21 "$(MAKE) integration TARGETS=$(INTEGRATION_ALONE)"

# The few-minute loop between commits: units, sanity and the smoke integration targets on the newest ansible-core.
check:
	$(MAKE) units sanity typecheck
	$(MAKE) integration TARGETS=group/smoke/

checks: units sanity typecheck integration

# The unit suite 5 times, each in a random order, beside two CPU-bound processes (not part of make test: ~10 minutes).
units-under-load: venv
	$(IN_TREE) env PYTHON_VERSION=$(PYTHON_VERSION) tools/units-under-load

# mypy over plugins/ and the event source (mypy.ini).
typecheck: venv
	$(IN_TREE) tools/typecheck

# What Galaxy, Automation Hub and AWX run: changelog and docs lint, ansible-lint, galaxy-importer, ansible-builder,
# ansible-runner (tools/conformance).
conformance: venv
	$(IN_TREE) tools/conformance

units: venv
	$(IN_TREE) $(ANSIBLE_TEST) units $(TEST_FLAGS)

sanity: sanity-venvs
	$(IN_TREE) $(ANSIBLE_TEST) sanity $(TEST_FLAGS)

# The virtualenvs ansible-test builds for its sanity tests (kept under ~/.ansible/test), without running them: make
# test builds them while the setup waits on the network rather than beside the CPU-bound parts.
sanity-venvs: venv
	tools/ansible-test-pip-bootstrap $(BIN)/python
	$(IN_TREE) $(ANSIBLE_TEST) sanity $(TEST_FLAGS) --prime-venvs

# The event source's target runs ansible-rulebook, whose rules engine needs a Java runtime. TARGETS narrows the run
# to targets or alias groups (make integration TARGETS=group/power/).
TARGETS ?=
integration: venv
	tools/ensure-java
	$(IN_TREE) $(ANSIBLE_TEST) integration $(TEST_FLAGS) $(TARGETS)

# The documentation site, built from a copy of the collection tree (tools/build-docsite); warnings fail the build.
docsite: $(DOCSITE_VENV)/.installed
	PATH="$(CURDIR)/$(DOCSITE_VENV)/bin:$$PATH" tools/in-collection-tree bash -c \
		'export ANSIBLE_COLLECTIONS_PATH=$$(cd ../../.. && pwd) && python tools/build-docsite $(CURDIR)/$(DOCSITE)'

# Every page opened in headless Chromium (installed from Debian by tools/ensure-chromium): no JavaScript error, no
# broken relative link, a page with an options table per plugin, search finds wait_for; screenshots of the index and
# the power module's page in tests/output/docsite/.
docsite-check: docsite
	tools/ensure-chromium
	$(DOCSITE_VENV)/bin/python tests/docsite/check_site.py $(DOCSITE) . tests/output/docsite

# The tarball built from this very checkout after the docsite was built in it: no build output packed, under 500 KB.
package-check: venv
	PATH="$(BIN):$$PATH" tools/check-package

$(DOCSITE_VENV)/.installed: requirements.txt tools/requirements-docsite.txt
	tools/make-venv $(DOCSITE_VENV) "$(PYTHON)" requirements.txt tools/requirements-docsite.txt
	touch $@

# The demo needs only what a user needs: ansible-core and requests, in a virtualenv of its own.
demo:
	$(MAKE) demo-run VENV=.venv-demo REQUIREMENTS=tools/requirements-demo.txt

demo-run: venv
	PATH="$(BIN):$$PATH" tools/demo

# The event source's demo: ansible-rulebook (and the Java runtime it needs) besides what `make demo` has.
demo-events:
	$(MAKE) demo-events-run VENV=.venv-demo-events REQUIREMENTS=tools/requirements-demo-events.txt

demo-events-run: venv
	tools/ensure-java
	PATH="$(BIN):$$PATH" tools/demo-events

# Benchmarks against the emulator (not part of `make test`): writes docs/performance.md.
bench: venv $(BENCH_VENV)/.installed
	$(IN_TREE) bash -c 'export ANSIBLE_COLLECTIONS_PATH=$$(cd ../../.. && pwd) && python tests/benchmarks/run_benchmarks.py \
		--bench-python $(CURDIR)/$(BENCH_VENV)/bin/python --output $(CURDIR)/docs/performance.md'

# tccli and the official SDK, for comparison only: a virtualenv of their own, so nothing of theirs reaches the tests.
$(BENCH_VENV)/.installed: tools/requirements-bench.txt
	tools/make-venv $(BENCH_VENV) "$(PYTHON)" tools/requirements-bench.txt
	touch $@

# docs/reliability.md is generated by the reliability integration target, which fails when it is stale.
docs: venv
	$(IN_TREE) bash -c 'export ANSIBLE_COLLECTIONS_PATH=$$(cd ../../.. && pwd) && \
		cd tests/integration/targets/reliability && python matrix.py --write $(CURDIR)/docs/reliability.md'

# Mutation testing (not part of `make test`: it takes a while); writes docs/mutation.md.
# MUTANTS='*describe_instances.*' runs some mutants only (tests/output/mutation.md).
MUTANTS ?=
mutation: $(MUTATION_VENV)/.installed
	PATH="$(CURDIR)/$(MUTATION_VENV)/bin:$$PATH" MUTANTS='$(MUTANTS)' tools/mutation

$(MUTATION_VENV)/.installed: requirements.txt tools/requirements-test.txt tools/requirements-test-common.txt tools/requirements-mutation.txt
	tools/make-venv $(MUTATION_VENV) "$(PYTHON)" requirements.txt tools/requirements-test.txt \
		tools/requirements-mutation.txt
	touch $@

clean:
	rm -rf $(VENV) .venv-uv .venv-uv.lock .venv-2.16 .venv-demo .venv-demo-events $(BENCH_VENV) $(MUTATION_VENV) $(DOCSITE_VENV) $(DOCSITE) tests/output
