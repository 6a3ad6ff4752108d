"""The benchmark measures the sizes side by side: each request for a page at one size is followed by one at the
other, so a drift in the machine's speed falls on both sizes alike and a page that costs the same at both sizes
reads about 1.0 x, while a page that grows with the data still reads as growing."""

import bench  # scripts/bench.py (pytest puts scripts/ on the path)


class Machine:
    """A machine whose speed drifts: each request takes longer than the one before (a slow spell building up)."""

    def __init__(self):
        self.requests = []

    def slowdown(self) -> float:
        return 1 + len(self.requests) / 50


class FakeWorker:
    """Answers as `bench.WorkerProcess` does, from a page's cost at its size on the drifting machine."""

    def __init__(self, machine, size, costs):
        self.machine, self.size, self.costs, self.pages = machine, size, costs, list(costs)
        self.finished_with = None

    def ask(self, once=None, peak=None, finish=None):
        if once is not None:
            self.machine.requests.append((once, self.size))
            return {"ms": self.costs[once] * self.machine.slowdown(), "queries": 9, "bytes": 100}
        if peak is not None:
            return {"request_peak_mb": 0.5}
        self.finished_with = finish
        return {"publish_ms": 1000.0, "data": {"projects": 1}}


def test_requests_for_a_page_alternate_between_the_sizes_in_turning_order():
    machine = Machine()
    workers = {size: FakeWorker(machine, size, {"board": 400.0}) for size in ("large", "xlarge")}
    bench.measure_sizes(workers, repeat=4)
    assert machine.requests == [
        ("board", "large"), ("board", "xlarge"), ("board", "xlarge"), ("board", "large"),
        ("board", "large"), ("board", "xlarge"), ("board", "xlarge"), ("board", "large"),
        ("board", "large"), ("board", "xlarge"), ("board", "xlarge"), ("board", "large"),
    ]  # fmt: skip
    assert workers["large"].finished_with is True and workers["xlarge"].finished_with is False


def test_a_drifting_machine_does_not_fail_a_page_that_costs_the_same_at_both_sizes():
    machine = Machine()
    costs = {"board": 40.0, "dashboard": 110.0}
    workers = {size: FakeWorker(machine, size, costs) for size in ("large", "xlarge")}
    measured = bench.measure_sizes(workers, repeat=10)
    assert bench.check_scale(measured["large"], measured["xlarge"]) == []
    # One size after the other, the same drift alone would have read the second page past the line.
    first, second = 1 + 12 / 50, 1 + 36 / 50
    assert second / first > bench.SCALE_FACTOR


def test_a_page_that_grows_with_the_data_still_fails_the_scale_check():
    machine = Machine()
    workers = {
        "large": FakeWorker(machine, "large", {"board": 40.0, "register": 50.0}),
        "xlarge": FakeWorker(machine, "xlarge", {"board": 40.0, "register": 80.0}),
    }
    measured = bench.measure_sizes(workers, repeat=10)
    (miss,) = bench.check_scale(measured["large"], measured["xlarge"])
    assert miss.startswith("[xlarge] register: median") and "> 1.3 ×" in miss
    assert measured["large"]["pages"]["register"]["runs"] == 10
    assert measured["large"]["publish_ms"] == 1000.0


def test_a_quick_page_is_timed_for_about_a_second_at_each_size_and_the_slow_exports_a_few_times():
    assert bench.timed_runs("heat map", 10, warm_ms=13.0) == 76
    assert bench.timed_runs("healthz", 10, warm_ms=0.2) == 100
    assert bench.timed_runs("dashboard", 10, warm_ms=130.0) == 10
    assert bench.timed_runs("draft PDF", 10, warm_ms=800.0) == 3
    machine = Machine()
    workers = {size: FakeWorker(machine, size, {"heat map": 13.0}) for size in ("large", "xlarge")}
    measured = bench.measure_sizes(workers, repeat=10)
    runs = measured["large"]["pages"]["heat map"]["runs"]
    assert runs == measured["xlarge"]["pages"]["heat map"]["runs"] and 50 < runs < 77


def test_a_sub_millisecond_difference_is_no_miss_whatever_its_ratio():
    large = {"pages": {"healthz": {"median_ms": 0.2, "queries": 1}, "heat map": {"median_ms": 13.0, "queries": 14}}}
    xlarge = {"pages": {"healthz": {"median_ms": 0.3, "queries": 1}, "heat map": {"median_ms": 18.5, "queries": 14}}}
    assert bench.check_scale(large, xlarge) == [
        "[xlarge] heat map: median 18.5 ms at five times the size, 1.42 × large (13.0 ms) > 1.3 ×"
    ]
