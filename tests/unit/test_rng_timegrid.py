import numpy as np

from sim.rng import PROCESSES, process_id, stream
from sim.timegrid import TimeGrid


def test_streams_are_reproducible_and_independent():
    a = stream(1, "targeting", 0, 3).random(5)
    np.testing.assert_array_equal(a, stream(1, "targeting", 0, 3).random(5))
    assert not np.array_equal(a, stream(1, "targeting", 1, 3).random(5))  # other realization
    assert not np.array_equal(a, stream(1, "damage", 0, 3).random(5))  # other process
    assert not np.array_equal(a, stream(2, "targeting", 0, 3).random(5))  # other seed


def test_process_ids_are_unique_and_stable():
    assert len(set(PROCESSES.values())) == len(PROCESSES)
    assert process_id("weather") == 1
    assert process_id("something_new") == process_id("something_new") >= 1000


def test_timegrid():
    g = TimeGrid.from_config("2026-01-29T00:00", 2, 60)
    assert g.n_steps == 48 and g.horizon_h == 48
    assert g.times[1] - g.times[0] == np.timedelta64(1, "h")
    assert str(g.times[24])[:13] == "2026-01-30T00"
    np.testing.assert_array_equal(g.index_of([0.0, 0.99, 1.0, 100.0]), [0, 0, 1, 47])
