/// One recorded operation of the dynamic autodiff graph.
///
/// A node holds its inputs and one pullback per input — never itself and never its output tensor — so the graph is a
/// DAG of strong references from outputs to inputs that is freed as soon as the last tensor referring to it goes away.
final class GradNode {
    /// An input of the operation and the map from the output's gradient to that input's gradient.
    struct Edge {
        let parent: GradNode
        let pullback: (Tensor) -> Tensor
    }

    /// Emptied only by `deinit`, which takes the parents over to release long chains without recursion.
    private(set) var edges: [Edge]
    /// Set on leaf nodes: the parameter that receives the gradient.
    let parameter: Parameter?
    /// The gradient accumulated during one backward pass; cleared afterwards.
    var gradient: Tensor?

    init(edges: [Edge]) {
        self.edges = edges
        self.parameter = nil
    }

    init(leafFor parameter: Parameter) {
        self.edges = []
        self.parameter = parameter
    }

    /// Releases the ancestors iteratively. The default release is recursive (each node frees its parents from inside
    /// its own deinit), which overflows the stack for graphs a few hundred thousand nodes deep — fewer on threads
    /// with small stacks. Nodes still referenced elsewhere are left alone.
    deinit {
        guard !edges.isEmpty else { return }
        var pending = edges.map(\.parent)
        edges = []
        while var node = pending.popLast() {
            if isKnownUniquelyReferenced(&node) {
                pending.append(contentsOf: node.edges.lazy.map(\.parent))
                node.edges = []
            }
        }
    }
}
