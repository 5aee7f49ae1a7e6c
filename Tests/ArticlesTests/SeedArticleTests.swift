import Testing

@testable import Articles

/// The five seed articles, with expectations checked by hand against the files.
@Suite struct SeedArticleTests {
    @Test func seed000GluedRepeatTweetAndNoDate() throws {
        let seed = try TestPaths.seed("000_")
        let article = try parseArticle(seed.bytes, name: seed.name)
        let paragraphs = article.body.components(separatedBy: "\n\n")

        // The flattened copy on the first line is gone: the opening sentence appears once.
        #expect(article.body.components(separatedBy: "قالت السفارة الأميركية في ليبيا اليوم الخميس").count == 2)
        #expect(
            paragraphs.first
                == "قالت السفارة الأميركية في ليبيا اليوم الخميس، إن الولايات المتحدة تؤيد إنشاء وحدة عسكرية مشتركة كخطوة أولى لتوحيد المؤسسة العسكرية الليبية."
        )
        #expect(!article.body.contains("الليبية.وأشادت"))
        #expect(
            paragraphs.last
                == "واصطدمت بعدة عراقيل، وأهمها الخلاف حول منصب القائد الأعلى للجيش الليبي، بالإضافة إلى غياب كامل للثقة، ورفض الميليشيات التخلي عن سلاحها."
        )
        #expect(paragraphs.count == 9)

        // The tweet is one quotation paragraph that keeps its handle.
        let tweet = try #require(paragraphs.first { $0.contains("@USEmbassyLibya") })
        #expect(tweet.hasPrefix("> 1/3انه لمن دواعي سرورنا"))
        #expect(tweet.contains("\n> — U.S. Embassy – Libya (@USEmbassyLibya) March 2, 2023"))

        // "March 2, 2023" belongs to the tweet, not to the article.
        #expect(article.date == nil)
        #expect(article.titleIsDerived)
        #expect(article.title.hasPrefix("قالت السفارة الأميركية في ليبيا اليوم الخميس"))
        #expect(article.outlet == nil && article.author == nil && article.dateline == nil)
        #expect(article.original == String(decoding: seed.bytes, as: UTF8.self))
    }

    @Test func seed001HasNoHeaderAndIgnoresQuotedDates() throws {
        let seed = try TestPaths.seed("001_")
        let article = try parseArticle(seed.bytes, name: seed.name)
        #expect(article.titleIsDerived)
        #expect(article.title.hasPrefix("علقت المستشارة الخاصة للأمين العام للأمم المتحدة بشأن ليبيا ستيفاني وليامز"))
        // "18-19 يوليو" and "أكتوبر 2020" are inside quoted statements.
        #expect(article.date == nil)
        #expect(article.dateline == nil)
        let paragraphs = article.body.components(separatedBy: "\n\n")
        #expect(paragraphs.count == 10)
        #expect(paragraphs[3] == "مخرجات اجتماع قادة الجيش في طرابلس")
    }

    @Test func seed002DropsSummaryWidget() throws {
        let seed = try TestPaths.seed("002_")
        let article = try parseArticle(seed.bytes, name: seed.name)
        #expect(!article.body.contains("استمع إلى الملخص"))
        #expect(!article.body.contains("**"))
        #expect(article.body.hasPrefix("أجرى وفد عسكري أميركي في الأيام الأخيرة"))
        #expect(article.body.components(separatedBy: "\n\n").count == 9)
        #expect(article.titleIsDerived)
        #expect(article.title.hasPrefix("أجرى وفد عسكري أميركي في الأيام الأخيرة سلسلة لقاءات"))
        // "يونيو/حزيران الماضي" in the body is not a publication date.
        #expect(article.date == nil)
        #expect(article.body.contains("مصراته"))
    }

    @Test func seed003FullHeader() throws {
        let seed = try TestPaths.seed("003_")
        let article = try parseArticle(seed.bytes, name: seed.name)
        #expect(article.outlet == "الأمصار")
        #expect(article.section == "المغرب العربي")
        #expect(article.title == "واشنطن تؤكد ضرورة توحيد المؤسستين العسكرية والأمنية في ليبيا")
        #expect(!article.titleIsDerived)
        #expect(article.date == ArticleDate(value: "2025-08-26T19:22", precision: .minute))
        #expect(article.author == "جهاد جميل")
        #expect(article.body.hasPrefix("جدّدت واشنطن على لسان القائم بأعمال السفارة الأمريكية"))
        #expect(article.body.components(separatedBy: "\n\n").count == 10)
        #expect(!article.body.contains("جهاد جميل"))
    }

    @Test func seed004MastheadAndDateline() throws {
        let seed = try TestPaths.seed("004_")
        let article = try parseArticle(seed.bytes, name: seed.name)
        #expect(article.outlet == "وكالة الأنباء الليبية")
        #expect(article.title == "أمريكا تشدد على أهمية التكامل الأمني بين شرق وغرب ليبيا لتحقيق الاستقرار الإقليمي.")
        #expect(article.date == ArticleDate(value: "2025-09-24", precision: .day))
        #expect(article.dateline?.place == "نيويورك")
        #expect(article.dateline?.agency == "وال")
        #expect(article.dateline?.text == "نيويورك 24 سبتمبر 2025م(وال)-")
        #expect(article.section == nil)
        for boilerplate in ["آخر الأخبار", "نشر بتاريخ", "Lana News"] {
            #expect(!article.body.contains(boilerplate))
        }
        #expect(article.body.hasPrefix("نيويورك 24 سبتمبر 2025م(وال)- شددت الولايات المتحدة"))
    }
}
