import textwrap


def write_tests_for_median():
    """Property-style tests against statistics.median on seeded random inputs."""
    return textwrap.dedent("""
        import copy
        import random
        import statistics

        import pytest


        @pytest.mark.parametrize("seed", range(25))
        def test_matches_statistics(seed):
            rng = random.Random(seed)
            xs = [rng.randint(-50, 50) for _ in range(rng.randint(1, 12))]
            before = copy.deepcopy(xs)
            assert median(xs) == statistics.median(xs)
            assert xs == before


        def test_empty():
            with pytest.raises(ValueError):
                median([])
    """)
