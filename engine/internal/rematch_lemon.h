// LEMON's solvers as the rematch uses them, made to compile as C++20.
//
// LEMON 1.3.1 stores node and arc maps of non-scalar values in ArrayMap,
// which calls std::allocator::construct/destroy, removed in C++20. The only
// such map the rematch instantiates is the predecessor map (Node -> Arc) of
// the Bellman–Ford run inside CostScaling. This header selects LEMON's
// VectorMap for arc- and node-valued maps of StaticDigraph instead: the same
// interface on a std::vector, with no allocator calls. Include it instead of
// the LEMON headers, and only from engine/rematch.cc (one translation unit,
// so the choice is the same everywhere it is made).
//
// Thread safety: as LEMON: one solver per thread.

#ifndef PLACEMENT_ENGINE_INTERNAL_REMATCH_LEMON_H_
#define PLACEMENT_ENGINE_INTERNAL_REMATCH_LEMON_H_

#include "lemon/bits/default_map.h"
#include "lemon/static_graph.h"

namespace lemon {

template <typename Graph, typename Item>
struct DefaultMapSelector<Graph, Item, StaticDigraphBase::Arc> {
  typedef VectorMap<Graph, Item, StaticDigraphBase::Arc> Map;
};

template <typename Graph, typename Item>
struct DefaultMapSelector<Graph, Item, StaticDigraphBase::Node> {
  typedef VectorMap<Graph, Item, StaticDigraphBase::Node> Map;
};

}  // namespace lemon

#include "lemon/cost_scaling.h"
#include "lemon/network_simplex.h"

#endif  // PLACEMENT_ENGINE_INTERNAL_REMATCH_LEMON_H_
