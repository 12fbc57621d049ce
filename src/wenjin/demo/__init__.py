"""The demo network: Zhucheng City Library (诸城市图书馆) as its 2020 annual report describes it.

``wenjin demo`` builds it: the network of service points (:mod:`wenjin.demo.network`),
a catalogue of generated but realistic records with their items spread over the
points (:mod:`wenjin.demo.catalog`), saved in batches that survive an interruption
(:mod:`wenjin.demo.build`). Everything is deterministic for a given seed.
"""
