"""The world food plan: a problem (format v1) from FAO food supply and GeoNames cities.

Pure library (no Django): :mod:`.build` makes the problem, :mod:`.report` the
page with its maps, :mod:`.cli` is ``sinfronteras world``.
"""
