"""asv benchmarks of gradient_ext against numpy.gradient (see ../asv.conf.json)."""
