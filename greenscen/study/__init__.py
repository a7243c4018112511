"""Studies: grids, seeded samples and policy variants of a scenario, run in parallel.

``load_study(path)`` reads and validates a study file (``greenscen.study.spec``),
``run_study(study, out)`` solves its variants on local processes or a Dask cluster and
streams the rows to disk (``greenscen.study.runner``); ``greenscen.study.charts`` draws the
tornado, scatter and rule-share charts of the table; ``greenscen.study.near_optimal`` gives
the near-optimal range of each capacity.
"""

from greenscen.study.runner import assemble, run_study
from greenscen.study.spec import Study, Variant, load_study

__all__ = ["Study", "Variant", "assemble", "load_study", "run_study"]
