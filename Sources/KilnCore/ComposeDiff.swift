/// What changed from one compose to another, per variant and arch: packages added, removed, upgraded and
/// downgraded. Upgrade and downgrade follow rpm's own version order (`RPMVersion`, rpmvercmp on epoch, version and
/// release).
///
/// Built from the RPMs only one side holds (the store leaves out what both hold, counted as `unchanged`). Per
/// variant and arch, the RPMs of one package name and arch pair up: the highest version leaving against the highest
/// arriving is an upgrade or a downgrade; any other version is removed or added. What is left of a name on both
/// sides after that (a package that changed arch, e.g. noarch to x86_64) pairs up when it is exactly one RPM each.
/// Two spellings of the same version (`1.0` and `1.00`) are a removal and an addition.
public struct ComposeDiff: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        public var from: RPMNEVRA
        public var to: RPMNEVRA
        public init(from: RPMNEVRA, to: RPMNEVRA) {
            self.from = from
            self.to = to
        }
        public var json: JSON {
            ["name": .string(to.name), "from": .string(from.description), "to": .string(to.description)]
        }
    }

    /// The changes within one variant and arch.
    public struct Tree: Sendable, Equatable {
        public var variant: String
        public var arch: String
        public var added: [RPMNEVRA] = []
        public var removed: [RPMNEVRA] = []
        public var upgraded: [Change] = []
        public var downgraded: [Change] = []
        public init(variant: String, arch: String) {
            self.variant = variant
            self.arch = arch
        }
    }

    /// An RPM in one variant and arch of one side.
    public struct Item: Sendable, Hashable {
        public var variant: String
        public var arch: String
        public var rpm: RPMNEVRA
        public init(variant: String, arch: String, rpm: RPMNEVRA) {
            self.variant = variant
            self.arch = arch
            self.rpm = rpm
        }
    }

    public var from: String
    public var to: String
    /// Only the variants and arches where something changed, ordered by variant, then arch.
    public var trees: [Tree]
    /// RPMs both composes hold in the same variant and arch.
    public var unchanged: Int

    public init(from: String, to: String, trees: [Tree], unchanged: Int) {
        self.from = from
        self.to = to
        self.trees = trees
        self.unchanged = unchanged
    }

    /// Classifies the RPMs only `from` holds (`leaving`) and only `to` holds (`arriving`).
    public init(from: String, to: String, leaving: [Item], arriving: [Item], unchanged: Int) {
        struct TreeKey: Hashable, Comparable {
            var variant: String
            var arch: String
            static func < (a: TreeKey, b: TreeKey) -> Bool { (a.variant, a.arch) < (b.variant, b.arch) }
        }
        struct PackageKey: Hashable {
            var name: String
            var arch: String
        }
        var sides: [TreeKey: [PackageKey: (leaving: [RPMNEVRA], arriving: [RPMNEVRA])]] = [:]
        for item in leaving {
            let tree = TreeKey(variant: item.variant, arch: item.arch)
            sides[tree, default: [:]][PackageKey(name: item.rpm.name, arch: item.rpm.arch), default: ([], [])].leaving
                .append(item.rpm)
        }
        for item in arriving {
            let tree = TreeKey(variant: item.variant, arch: item.arch)
            sides[tree, default: [:]][PackageKey(name: item.rpm.name, arch: item.rpm.arch), default: ([], [])].arriving
                .append(item.rpm)
        }
        var trees: [Tree] = []
        for key in sides.keys.sorted() {
            var tree = Tree(variant: key.variant, arch: key.arch)
            // Per name: what did not pair within its own arch, for the second round.
            var unpaired: [String: (leaving: [RPMNEVRA], arriving: [RPMNEVRA])] = [:]
            for (package, pair) in sides[key]! {
                var gone = pair.leaving.sorted()
                var new = pair.arriving.sorted()
                if let old = gone.last, let latest = new.last {
                    let order = RPMVersion.compare(old.evr, latest.evr)
                    if order != 0 {
                        gone.removeLast()
                        new.removeLast()
                        if order < 0 {
                            tree.upgraded.append(Change(from: old, to: latest))
                        } else {
                            tree.downgraded.append(Change(from: old, to: latest))
                        }
                    }
                    tree.removed += gone
                    tree.added += new
                } else {
                    unpaired[package.name, default: ([], [])].leaving += gone
                    unpaired[package.name, default: ([], [])].arriving += new
                }
            }
            for (_, pair) in unpaired {
                if pair.leaving.count == 1, pair.arriving.count == 1 {
                    let old = pair.leaving[0]
                    let new = pair.arriving[0]
                    let order = RPMVersion.compare(old.evr, new.evr)
                    if order > 0 {
                        tree.downgraded.append(Change(from: old, to: new))
                    } else {
                        // Same version in another arch counts as an upgrade: the package moved forward to `to`.
                        tree.upgraded.append(Change(from: old, to: new))
                    }
                } else {
                    tree.removed += pair.leaving
                    tree.added += pair.arriving
                }
            }
            tree.added.sort()
            tree.removed.sort()
            tree.upgraded.sort { $0.to < $1.to }
            tree.downgraded.sort { $0.to < $1.to }
            trees.append(tree)
        }
        self.init(from: from, to: to, trees: trees, unchanged: unchanged)
    }

    public var json: JSON {
        var variants = JSONObject()
        var totals = (added: 0, removed: 0, upgraded: 0, downgraded: 0)
        for tree in trees {
            var arches = variants[tree.variant]?.objectValue ?? JSONObject()
            arches[tree.arch] = [
                "added": .array(tree.added.map { .string($0.description) }),
                "removed": .array(tree.removed.map { .string($0.description) }),
                "upgraded": .array(tree.upgraded.map(\.json)),
                "downgraded": .array(tree.downgraded.map(\.json)),
            ]
            variants[tree.variant] = .object(arches)
            totals.added += tree.added.count
            totals.removed += tree.removed.count
            totals.upgraded += tree.upgraded.count
            totals.downgraded += tree.downgraded.count
        }
        return [
            "from": .string(from), "to": .string(to), "variants": .object(variants),
            "summary": [
                "added": .int(Int64(totals.added)), "removed": .int(Int64(totals.removed)),
                "upgraded": .int(Int64(totals.upgraded)),
                "downgraded": .int(Int64(totals.downgraded)), "unchanged": .int(Int64(unchanged)),
            ],
        ]
    }
}
