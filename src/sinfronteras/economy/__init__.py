"""Input-output (Leontief) planning: a pure library on numpy, scipy and HiGHS, no Django.

- :mod:`.table` reads published input-output tables (plain CSV or Eurostat layout);
- :mod:`.leontief` gives technical coefficients, gross output, labour values;
- :mod:`.plan` meets final demands tier by tier, worst-off first, within the
  labour offered and each product's capacity, and names the bottlenecks;
- :mod:`.report` words the result and writes it as JSON;
- :mod:`.cli` is ``sinfronteras economy``.
"""

from .errors import EconomyError, NotProductive, TableError
from .leontief import Economy
from .plan import Bottleneck, Demand, EconomyPlan, plan_economy
from .table import Table, read_table

__all__ = ["Bottleneck", "Demand", "Economy", "EconomyError", "EconomyPlan", "NotProductive",
           "Table", "TableError", "plan_economy", "read_table"]
