"""The suggestion engine: pure numpy/scipy, never imports Django.

`api.suggest` is the one entry point shared by the offline commands and the product.
"""
