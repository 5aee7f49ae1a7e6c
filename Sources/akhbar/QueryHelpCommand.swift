import ArgumentParser

/// `akhbar query` (or `akhbar help query`): the query language, for people who type searches.
struct QueryHelpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Describe the query language of search (also: akhbar help query).",
        discussion: """
            Words: a word matches itself with its prefixes and suffixes (الحسن finds الحسن, \
            بالحسن, حسن); hamza, diacritics, tatweel, ة/ه and ى/ي need not match. Articles \
            with the words in the very form typed rank first. Very common words (في، من، على …) \
            are left out unless the query has nothing else.

            Operators, tightest first (only in capitals; any other text is words):
              -word, NOT word    exclude (beside a word to search for: ليبيا -رياضة)
              +word              require, as a bare word is (+OR searches the word OR)
              a b, a AND b       both
              a OR b, a | b      either
              ( … )              group: (طرابلس OR مصراتة) الجيش

            Phrases and prefixes:
              "a b", «a b», “a b”   these words in this order, in the very forms typed
              ليبي*, "المجلس الرئا"*   any word starting so

            Proximity (in any order, within N words; 10 when N is left out):
              NEAR(المجلس الجيش, 5)   "المجلس الجيش"~5   المجلس NEAR/5 الجيش
              Members are words or phrases: NEAR("المجلس الرئاسي" الجيش, 5)

            Fields, before a word, a phrase, NEAR(…) or a group:
              title:ليبيا   outlet:"بوابة الوسط"   author:(سالم OR أحمد)   title:NEAR(a b, 3)
              An outlet, author or excluded word matches as typed or by its stem only.

            Filters on whole articles (beside the words, or alone; - excludes):
              place:طرابلس  place:"بئر الغنم"   the article's dateline place
              date:2015  date:2015-07  date:2015-07-04   a year, a month, a day
              date:2015-07..2015-09  date:2016..  date:..2015-06-30   a range, either end open
              The date is the publication date, or the ingest day of an undated article.

            A query of plain words that finds too few articles is widened to those missing one \
            word, ranked after the rest; a query written with OR, NEAR or groups means exactly \
            what it says. Errors say where the problem is: "(at character 11)". Queries are at \
            most 1000 characters, 64 words and 32 levels deep; distances at most 1000.

            Examples:
              akhbar search '(طرابلس OR مصراتة) NEAR(المجلس الجيش, 5) -رياضة'
              akhbar search 'title:"حكومة الوفاق" date:2016..'
              akhbar search 'place:بنغازي الجيش -date:2014'
            """
    )

    func run() throws {
        print(Self.helpMessage())
    }
}
