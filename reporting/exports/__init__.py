"""Thin writers over one rollup result: PDF, Excel workbook, JSON. They lay figures out, never compute them."""
