import ArgumentParser

/// The filters that narrow `count` and `terms` down to some of the archive's articles.
struct SelectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only articles published on or after this day.", valueName: "YYYY-MM-DD"))
    var since: ISODate?

    @Option(help: ArgumentHelp("Only articles published on or before this day.", valueName: "YYYY-MM-DD"))
    var until: ISODate?

    @Option(help: "Only articles of this outlet, exactly as any of their sources states it.")
    var outlet: String?

    @Option(help: "Only articles by this author, exactly as any of their sources states it.")
    var author: String?
}
