# Interview Simulator: the two commands are `make up` and `make test`.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= 2

.PHONY: all deps build build-web build-asan test unit-test web-test asan-test valgrind-test integration-test test-faults browser-test images test-images check-chart fuzz accuracy bench up down clean

all: build

deps:
	@bash deploy/deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)
	@bash deploy/web.sh build

# The web app only (web/ -> web/dist).
build-web: deps
	@bash deploy/web.sh build

build-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DISIM_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS)

# Everything: unit tests (plain, sanitizers, valgrind) then the real stack end to end.
test: deps
	@bash tests/run_all.sh

unit-test: build
	@cd $(BUILD) && ctest --output-on-failure

# The web app's unit tests (vitest).
web-test: deps
	@bash deploy/web.sh test

asan-test: build-asan
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure

valgrind-test: build
	@bash tests/valgrind_unit.sh $(BUILD)

# The real stack end to end: the pytest suite, then the browser tests.
integration-test: build
	@bash tests/integration/run.sh $(BUILD)

# Fault injection over a stack of its own: every scenario (kill -9 of each
# worker, Kafka, PostgreSQL and Redis restarted, S3 away for 30 s, a worker
# frozen past its session timeout beside a second replica, a full work disk),
# a batch of 20 interviews each; the table goes to build/faults (about 25 min).
# make test runs a short version (tests/faults/run.sh).
test-faults: build
	@bash tests/faults/run.sh $(BUILD) full

# Only the browser tests, against a stack already up (make up).
browser-test: build
	@bash deploy/web.sh e2e

# The container images (isim, isim-stt): docker, or podman with a Debian base
# made by mmdebstrap where no registry is reachable (deploy/images.sh).
images: build
	@bash deploy/images.sh build

# The images run as a cluster runs them, against the local stack's infrastructure.
test-images: images
	@bash tests/images/run.sh

# Offline checks of the Helm chart: helm lint, helm template, kubeconform.
# Every fuzz target for 5 minutes (make test runs each for 15 s).
fuzz: deps
	@bash tests/fuzz/run.sh 300

check-chart: build
	@bash helm/check.sh

# Speech recognition accuracy and speed per engine (docs/accuracy.md): data
# from registry packages, pinned; results in build/accuracy/ (about 25 min).
accuracy: build
	@bash bench/accuracy/run.sh

# End-to-end performance (docs/benchmarks.md): latency of 30 s, 2 min and
# 10 min answers through a stack of its own, throughput of a batch with one
# and two of each worker, peak memory, per-stage ratios; one table, each
# figure beside a baseline from the same run (about 40 min).
bench: build
	@bash bench/e2e/run.sh $(BUILD)

up: build
	@bash deploy/stack.sh up
	@bash deploy/demo.sh

down:
	@bash deploy/stack.sh down

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) web/dist
