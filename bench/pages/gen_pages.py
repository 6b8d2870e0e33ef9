#!/usr/bin/env python3
"""Generates whole HTML pages in many site layouts and languages, with the article's text as
truth, for evaluating unscrape's page step (issue 6).

Everything is made up here: prose comes from small per-language phrase grammars (no web text),
chrome from per-language word lists. Each page is written as <out>/html/<id>.html and its truth
(title, then each article paragraph, subheading or list item, one per line) as
<out>/truth/<id>.txt. Layouts 0..TUNE_LAYOUTS-1 are the tuning split; the others are held out.

    python gen_pages.py OUT [--pages-per-cell N] [--seed S]
"""

import argparse
import html
import json
import os
import random

TUNE_LAYOUTS = 10  # layouts 10.. are held out from tuning

# --- prose grammars -------------------------------------------------------------------------

L = {}

L["en"] = dict(
    subj=["The city council", "A spokesperson for the ministry", "Local residents", "The company",
          "Researchers at the university", "The new mayor", "Several small farmers", "The union",
          "Officials in the northern district", "Our correspondent", "The regional health board",
          "A group of engineers", "The finance committee", "Many of the older teachers",
          "The shipping firm", "Volunteers from the harbour", "The court", "Two opposition parties"],
    verb=["said on Tuesday that they would review", "have spent most of the year debating",
          "announced a plan to expand", "rejected the latest proposal for", "warned that delays could affect",
          "agreed to fund", "questioned the cost of", "are still waiting for a decision on",
          "published a long report about", "voted against", "promised to improve", "raised concerns over",
          "began to study", "had hoped to finish"],
    obj=["the bus network", "the new water treatment plant", "a scheme for cheaper housing",
         "the budget for the coming winter", "the old railway bridge", "the school meals programme",
         "the harbour wall", "rules for night deliveries", "the hospital's emergency wing",
         "a small solar farm near the river", "the library's opening hours", "the tax on empty flats",
         "the cycling lanes in the centre", "the pension fund"],
    tail=["before the end of the month", "after a long and often heated meeting",
          "because the costs had risen sharply", "although nobody expected a quick result",
          "while the storm was still moving east", "as the first results came in",
          "in spite of the warnings", "and the decision surprised many of them",
          "so that families would not have to wait", "which had been delayed twice already"],
    conn=["However,", "Meanwhile,", "In addition,", "At the same time,", "Last year,", "For now,",
          "According to the report,", "Even so,"],
    said=["“We are not there yet,” one of them said.", "“This is a good day for the town,” she told reporters.",
          "“Nobody wants another delay,” he added.", "“It will take time,” a neighbour said."],
    stops=True,
)
L["de"] = dict(
    subj=["Der Stadtrat", "Eine Sprecherin des Ministeriums", "Die Anwohner", "Das Unternehmen",
          "Forscher der Universität", "Der neue Bürgermeister", "Mehrere kleine Landwirte", "Die Gewerkschaft",
          "Die Behörden im Norden", "Unser Korrespondent", "Der Gesundheitsausschuss", "Eine Gruppe von Ingenieuren",
          "Der Finanzausschuss", "Viele der älteren Lehrer", "Die Reederei", "Freiwillige aus dem Hafen"],
    verb=["kündigte am Dienstag an, dass sie prüfen wollen", "hat fast das ganze Jahr diskutiert über",
          "stellte einen Plan vor für", "lehnte den neuen Vorschlag ab für", "warnte vor Verzögerungen bei",
          "will nun mehr Geld geben für", "bezweifelt die Kosten für", "wartet noch immer auf eine Entscheidung über",
          "veröffentlichte einen langen Bericht über", "stimmte gegen", "versprach Verbesserungen bei"],
    obj=["das Busnetz", "die neue Kläranlage", "ein Programm für günstigere Wohnungen",
         "den Haushalt für den kommenden Winter", "die alte Eisenbahnbrücke", "das Schulessen",
         "die Hafenmauer", "die Regeln für nächtliche Lieferungen", "die Notaufnahme des Krankenhauses",
         "eine kleine Solaranlage am Fluss", "die Öffnungszeiten der Bibliothek", "die Radwege in der Innenstadt"],
    tail=["noch vor dem Ende des Monats", "nach einer langen und oft hitzigen Sitzung",
          "weil die Kosten stark gestiegen sind", "obwohl niemand mit einem schnellen Ergebnis rechnet",
          "während der Sturm noch nach Osten zog", "und die Entscheidung hat viele überrascht",
          "damit die Familien nicht so lange warten müssen", "die schon zweimal verschoben wurde"],
    conn=["Allerdings", "Inzwischen", "Außerdem", "Gleichzeitig", "Im vergangenen Jahr", "Laut dem Bericht"],
    said=["„Wir sind noch nicht so weit“, sagte einer von ihnen.", "„Das ist ein guter Tag für die Stadt“, sagte sie.",
          "„Niemand will eine weitere Verzögerung“, fügte er hinzu."],
    stops=True,
)
L["fr"] = dict(
    subj=["Le conseil municipal", "Une porte-parole du ministère", "Les habitants du quartier", "L'entreprise",
          "Des chercheurs de l'université", "Le nouveau maire", "Plusieurs petits agriculteurs", "Le syndicat",
          "Les autorités de la région", "Notre correspondant", "La commission des finances",
          "Un groupe d'ingénieurs", "Beaucoup d'enseignants", "La compagnie maritime", "Des bénévoles du port"],
    verb=["a annoncé mardi qu'il allait revoir", "a passé une grande partie de l'année à discuter de",
          "a présenté un plan pour agrandir", "a rejeté la dernière proposition sur", "a averti que des retards pourraient toucher",
          "a accepté de financer", "s'interroge sur le coût de", "attend toujours une décision sur",
          "a publié un long rapport sur", "a voté contre", "a promis d'améliorer"],
    obj=["le réseau de bus", "la nouvelle station d'épuration", "un projet de logements moins chers",
         "le budget de l'hiver prochain", "le vieux pont ferroviaire", "les repas des écoles",
         "le mur du port", "les règles pour les livraisons de nuit", "les urgences de l'hôpital",
         "une petite ferme solaire près de la rivière", "les horaires de la bibliothèque", "les pistes cyclables du centre"],
    tail=["avant la fin du mois", "après une longue réunion souvent tendue",
          "parce que les coûts ont fortement augmenté", "même si personne n'attend un résultat rapide",
          "alors que la tempête se déplaçait vers l'est", "et la décision a surpris beaucoup de monde",
          "pour que les familles n'aient pas à attendre", "qui avait déjà été reporté deux fois"],
    conn=["Cependant,", "Entre-temps,", "En outre,", "Dans le même temps,", "L'an dernier,", "Selon le rapport,"],
    said=["« Nous n'y sommes pas encore », a dit l'un d'eux.", "« C'est un bon jour pour la ville », a-t-elle déclaré.",
          "« Personne ne veut un nouveau retard », a-t-il ajouté."],
    stops=True,
)
L["es"] = dict(
    subj=["El ayuntamiento", "Una portavoz del ministerio", "Los vecinos del barrio", "La empresa",
          "Investigadores de la universidad", "El nuevo alcalde", "Varios pequeños agricultores", "El sindicato",
          "Las autoridades de la región", "Nuestro corresponsal", "La comisión de hacienda",
          "Un grupo de ingenieros", "Muchos de los profesores", "La naviera", "Voluntarios del puerto"],
    verb=["anunció el martes que revisará", "ha pasado buena parte del año debatiendo sobre",
          "presentó un plan para ampliar", "rechazó la última propuesta sobre", "advirtió de que los retrasos podrían afectar a",
          "aceptó financiar", "cuestiona el coste de", "sigue esperando una decisión sobre",
          "publicó un largo informe sobre", "votó en contra de", "prometió mejorar"],
    obj=["la red de autobuses", "la nueva depuradora", "un plan de vivienda más barata",
         "el presupuesto para el próximo invierno", "el viejo puente del ferrocarril", "los comedores escolares",
         "el muro del puerto", "las normas para los repartos nocturnos", "las urgencias del hospital",
         "una pequeña planta solar junto al río", "el horario de la biblioteca", "los carriles bici del centro"],
    tail=["antes de que termine el mes", "tras una reunión larga y a menudo tensa",
          "porque los costes han subido mucho", "aunque nadie espera un resultado rápido",
          "mientras la tormenta avanzaba hacia el este", "y la decisión sorprendió a muchos",
          "para que las familias no tengan que esperar", "que ya se había aplazado dos veces"],
    conn=["Sin embargo,", "Mientras tanto,", "Además,", "Al mismo tiempo,", "El año pasado,", "Según el informe,"],
    said=["«Todavía no hemos llegado», dijo uno de ellos.", "«Es un buen día para la ciudad», declaró ella.",
          "«Nadie quiere otro retraso», añadió."],
    stops=True,
)
L["zh"] = dict(
    subj=["市议会", "交通部发言人", "当地居民", "这家公司", "大学的研究人员", "新任市长", "几位小农户", "工会",
          "北部地区的官员", "本报记者", "地区卫生委员会", "一群工程师", "财政委员会", "许多老教师"],
    verb=["周二表示将重新审查", "今年大部分时间都在讨论", "宣布了扩建", "拒绝了关于", "警告延误可能影响",
          "同意资助", "质疑", "仍在等待关于", "发表了一份长篇报告，内容涉及", "投票反对", "承诺改善"],
    obj=["公交网络", "新的污水处理厂", "廉租房计划", "明年冬季的预算", "旧铁路桥", "学校午餐项目",
         "港口防波堤", "夜间送货规定", "医院急诊部", "河边的小型太阳能电站", "图书馆开放时间", "市中心的自行车道"],
    tail=["的计划", "的方案", "的决定", "的问题", "的费用", "的进展"],
    conn=["不过，", "与此同时，", "此外，", "去年，", "据报告，", "目前，"],
    said=["“我们还没有做到，”其中一人说。", "“这对城市来说是个好日子，”她告诉记者。", "“没有人希望再次延误，”他补充道。"],
    stops=False,
)

CHROME = {
    "en": dict(menu=["Home", "News", "World", "Politics", "Business", "Tech", "Science", "Health", "Sport",
                     "Culture", "Opinion", "Travel", "Weather", "Video", "Podcasts", "Local News", "Lifestyle"],
               comments=["Comments", "23 Comments", "Join the discussion", "Reader comments", "Leave a Reply"],
               reply=["Reply", "Report", "Like"], by="By", published="PUBLISHED", updated="UPDATED",
               related=["Related stories", "More from News", "Most read", "You may also like", "Trending now"],
               cookie="We use cookies to give you the best experience on our website. By continuing you agree to our use of cookies.",
               accept=["Accept", "Accept all", "Manage settings"], share=["Share", "Facebook", "Twitter", "Email", "WhatsApp"],
               newsletter="Sign up for our daily newsletter", footer=["About us", "Contact", "Privacy Policy", "Terms of Use", "Advertise", "Careers"],
               readmore="READ MORE", photo="Photo", ago="hours ago", tags="Tags", search="Search", login="Sign in",
               bio="is a senior reporter covering local government and transport. She joined the paper in 2015.",
               contributed="contributed to this report.", reporting="Reporting by", editing="Editing by",
               caption=["A bus waits at the depot on Monday morning.", "Residents gather outside the town hall.",
                        "The old bridge seen from the river bank."]),
    "de": dict(menu=["Startseite", "Nachrichten", "Politik", "Wirtschaft", "Sport", "Kultur", "Wissen", "Reise",
                     "Panorama", "Meinung", "Regional", "Video", "Wetter", "Digital"],
               comments=["Kommentare", "12 Kommentare", "Diskutieren Sie mit", "Leserkommentare"],
               reply=["Antworten", "Melden", "Gefällt mir"], by="Von", published="VERÖFFENTLICHT", updated="AKTUALISIERT",
               related=["Mehr zum Thema", "Meistgelesen", "Das könnte Sie auch interessieren", "Weitere Artikel"],
               cookie="Wir verwenden Cookies, um Ihnen das beste Erlebnis auf unserer Website zu bieten.",
               accept=["Akzeptieren", "Alle akzeptieren", "Einstellungen"], share=["Teilen", "Facebook", "Twitter", "E-Mail", "WhatsApp"],
               newsletter="Jetzt den Newsletter abonnieren", footer=["Impressum", "Kontakt", "Datenschutz", "AGB", "Werbung", "Jobs"],
               readmore="LESEN SIE AUCH", photo="Foto", ago="vor 2 Stunden", tags="Schlagwörter", search="Suche", login="Anmelden",
               bio="ist Redakteurin im Ressort Lokales und schreibt über Verkehr und Stadtpolitik.",
               contributed="hat zu diesem Bericht beigetragen.", reporting="Bericht von", editing="Redaktion",
               caption=["Ein Bus wartet am Montagmorgen im Depot.", "Anwohner vor dem Rathaus.", "Die alte Brücke vom Ufer aus gesehen."]),
    "fr": dict(menu=["Accueil", "Actualités", "International", "Politique", "Économie", "Sport", "Culture",
                     "Société", "Sciences", "Opinions", "Régions", "Vidéos", "Météo"],
               comments=["Commentaires", "8 commentaires", "Réagir à cet article", "Vos réactions"],
               reply=["Répondre", "Signaler", "J'aime"], by="Par", published="PUBLIÉ", updated="MIS À JOUR",
               related=["Sur le même sujet", "Les plus lus", "À lire aussi", "Dans la même rubrique"],
               cookie="Nous utilisons des cookies pour vous offrir la meilleure expérience sur notre site.",
               accept=["Accepter", "Tout accepter", "Paramétrer"], share=["Partager", "Facebook", "Twitter", "E-mail", "WhatsApp"],
               newsletter="Inscrivez-vous à notre newsletter", footer=["Mentions légales", "Contact", "Confidentialité", "CGU", "Publicité"],
               readmore="LIRE AUSSI", photo="Photo", ago="il y a 3 heures", tags="Mots-clés", search="Rechercher", login="Se connecter",
               bio="est journaliste au service société et suit les questions de transport.",
               contributed="a contribué à cet article.", reporting="Reportage de", editing="Édition",
               caption=["Un bus au dépôt lundi matin.", "Des habitants devant la mairie.", "Le vieux pont vu depuis la rive."]),
    "es": dict(menu=["Inicio", "Noticias", "Internacional", "Política", "Economía", "Deportes", "Cultura",
                     "Sociedad", "Ciencia", "Opinión", "Vídeos", "Tiempo"],
               comments=["Comentarios", "15 comentarios", "Deja tu comentario", "Comenta esta noticia"],
               reply=["Responder", "Denunciar", "Me gusta"], by="Por", published="PUBLICADO", updated="ACTUALIZADO",
               related=["Noticias relacionadas", "Lo más leído", "También te puede interesar", "Más noticias"],
               cookie="Utilizamos cookies para ofrecerle la mejor experiencia en nuestro sitio web.",
               accept=["Aceptar", "Aceptar todo", "Configurar"], share=["Compartir", "Facebook", "Twitter", "Correo", "WhatsApp"],
               newsletter="Suscríbete a nuestro boletín", footer=["Aviso legal", "Contacto", "Privacidad", "Cookies", "Publicidad"],
               readmore="LEE TAMBIÉN", photo="Foto", ago="hace 2 horas", tags="Etiquetas", search="Buscar", login="Iniciar sesión",
               bio="es periodista de la sección local y escribe sobre transporte y urbanismo.",
               contributed="contribuyó a este informe.", reporting="Información de", editing="Edición de",
               caption=["Un autobús espera en la cochera el lunes.", "Vecinos ante el ayuntamiento.", "El viejo puente visto desde la orilla."]),
    "zh": dict(menu=["首页", "新闻", "国际", "财经", "科技", "体育", "娱乐", "健康", "教育", "汽车", "房产", "视频"],
               comments=["评论", "网友评论", "发表评论", "全部评论"],
               reply=["回复", "举报", "点赞"], by="作者：", published="发布时间", updated="更新时间",
               related=["相关新闻", "热门推荐", "猜你喜欢", "排行榜"],
               cookie="我们使用 Cookie 来改善您的浏览体验。继续浏览即表示您同意。",
               accept=["同意", "拒绝"], share=["分享到：", "微信", "微博", "QQ空间"],
               newsletter="订阅我们的新闻简报", footer=["关于我们", "联系我们", "隐私政策", "广告服务", "网站地图"],
               readmore="延伸阅读", photo="图片来源", ago="2小时前", tags="标签", search="搜索", login="登录",
               bio="是本报记者，长期关注城市交通与地方政府。",
               contributed="对本文亦有贡献。", reporting="记者", editing="编辑",
               caption=["周一早上，一辆公交车在车站等候。", "居民聚集在市政厅外。", "从河岸看旧桥。"]),
}

NAMES = ["Anna Keller", "Mark Dunn", "Lucía Romero", "Pierre Martin", "Jonas Weber", "Sara Holm", "David Osei",
         "Marta Silva", "Tom Baker", "Claire Dubois", "李明", "王芳"]
AGENCIES = ["AP", "Reuters", "AFP", "EPA", "Getty Images", "dpa", "EFE", "Xinhua"]


def sentence(r, lang):
    g = L[lang]
    if lang == "zh":
        s = r.choice(g["conn"]) if r.random() < 0.3 else ""
        s += r.choice(g["subj"]) + r.choice(g["verb"]) + r.choice(g["obj"]) + r.choice(g["tail"])
        return s + r.choice(["。", "。", "！", "。"])
    if r.random() < 0.1:
        return r.choice(g["said"])
    parts = []
    if r.random() < 0.3:
        parts.append(r.choice(g["conn"]))
    subj = r.choice(g["subj"])
    if parts:
        subj = subj[0].lower() + subj[1:] if lang == "en" and not subj.startswith("The") else subj
    parts += [subj, r.choice(g["verb"]), r.choice(g["obj"])]
    if r.random() < 0.7:
        parts.append(r.choice(g["tail"]))
    s = " ".join(parts)
    if r.random() < 0.15:
        s += " in " + str(r.randint(1995, 2025)) if lang == "en" else f" ({r.randint(1995, 2025)})"
    return s[0].upper() + s[1:] + "."


def paragraph(r, lang, lo=1, hi=5):
    sep = "" if lang == "zh" else " "
    return sep.join(sentence(r, lang) for _ in range(r.randint(lo, hi)))


def headline(r, lang):
    g = L[lang]
    if lang == "zh":
        return r.choice(g["subj"]) + r.choice(g["verb"]) + r.choice(g["obj"])
    h = f"{r.choice(g['subj'])} {r.choice(g['verb']).split(',')[0]} {r.choice(g['obj'])}"
    return h


def subheading(r, lang):
    o = r.choice(L[lang]["obj"])
    return o[0].upper() + o[1:]


# --- page pieces ----------------------------------------------------------------------------


def date_str(r, lang):
    d, m, y = r.randint(1, 28), r.randint(1, 12), r.randint(2019, 2026)
    hh, mm = r.randint(0, 23), r.randint(0, 59)
    forms = [f"{d:02d}.{m:02d}.{y} {hh:02d}:{mm:02d}", f"{y}-{m:02d}-{d:02d}", f"{d}/{m}/{y}",
             f"{y}年{m}月{d}日 {hh:02d}:{mm:02d}" if lang == "zh" else f"{d:02d}/{m:02d}/{y} {hh}:{mm:02d}",
             ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m - 1] + f" {d}, {y}"]
    return r.choice(forms)


def esc(s):
    return html.escape(s, quote=False)


def ul(items, cls="menu", links=True):
    lis = "".join(f'<li><a href="/{i}">{esc(t)}</a></li>' if links else f"<li>{esc(t)}</li>" for i, t in enumerate(items))
    return f'<ul class="{cls}">{lis}</ul>'


class Page:
    def __init__(self, r, lang, layout):
        self.r, self.lang, self.layout = r, lang, layout
        self.c = CHROME[lang]
        self.truth = []

    def article(self):
        """The article: (html, truth lines). Layout decides what decorates it."""
        r, lang, c, lay = self.r, self.lang, self.c, self.layout
        self.title = headline(r, lang)
        n = r.choice([2, 3, 3, 4, 6, 8, 10, 14])
        parts = []
        self.truth.append(self.title)
        title_html = f"<h1>{esc(self.title)}</h1>"
        if lay["lede"]:
            lede = sentence(r, lang)
            parts.append(f'<p class="lede"><strong>{esc(lede)}</strong></p>')
            self.truth.append(lede)
        for i in range(n):
            if lay["images"] and i in (1, 5) and n > 2:
                cap = r.choice(c["caption"])
                cred = r.choice([f"{c['photo']}: {r.choice(NAMES)}/{r.choice(AGENCIES)}",
                                 f"Image copyright {r.choice(AGENCIES)}", f"(Image credit: {r.choice(AGENCIES)})",
                                 f"{r.choice(NAMES)} | {r.choice(AGENCIES)}"])
                gal = f"<span>{r.randint(1, 6)} of 6</span>" if lay["gallery"] else ""
                parts.append(f"<figure><img src='x.jpg'>{gal}<figcaption>{esc(cap)} <span class='credit'>{esc(cred)}</span></figcaption></figure>"
                             if lay["caption_inline"] else
                             f"<figure><img src='x.jpg'>{gal}<figcaption>{esc(cap)}</figcaption><div class='credit'>{esc(cred)}</div></figure>")
            if lay["subheads"] and i in (3, 7, 11) and n > 4:
                sh = subheading(r, lang)
                parts.append(f"<h2>{esc(sh)}</h2>")
                self.truth.append(sh)
            if lay["lists"] and i == 2 and n > 3:
                items = [r.choice(L[lang]["obj"]) + ("" if lang == "zh" else "") for _ in range(r.randint(2, 4))]
                items = [i[0].upper() + i[1:] for i in items]
                parts.append(ul(items, "inarticle", links=False))
                self.truth.extend(items)
            if lay["readmore"] and i == 4:
                parts.append(f"<p><strong>{esc(c['readmore'])}: {esc(headline(r, lang))}</strong></p>")
            p = paragraph(r, lang, 1, 5 if n > 3 else 3)
            parts.append(f"<p>{esc(p)}</p>")
            self.truth.append(p)
            if lay["ad_in_article"] and i == 2:
                parts.append("<div class='ad'>Advertisement</div>")
        if lay["agency"]:
            parts.append(f"<p><em>({c['reporting']} {r.choice(NAMES)}; {c['editing']} {r.choice(NAMES)})</em></p>"
                         if r.random() < 0.5 else f"<p><em>{r.choice(NAMES)} {c['contributed']}</em></p>")
        byline = ""
        if lay["byline"] == "pipe":
            byline = f"<div class='meta'>{c['by']} {esc(r.choice(NAMES))} | {c['published']}: {date_str(r, lang)} | {c['updated']}: {date_str(r, lang)}</div>"
        elif lay["byline"] == "lines":
            byline = f"<div class='meta'><div>{c['by']} <a href='/a'>{esc(r.choice(NAMES))}</a></div><div>{date_str(r, lang)}</div><div>{r.randint(2, 9)} min read</div></div>"
        share = ul(c["share"], "share") if lay["share"] else ""
        return title_html, byline, share, "\n".join(parts)

    def teasers(self, k, with_summary):
        r, lang = self.r, self.lang
        out = []
        for _ in range(k):
            h = headline(r, lang)
            s = f"<p>{esc(sentence(r, lang))}</p>" if with_summary and r.random() < 0.8 else ""
            d = f"<span>{date_str(r, lang)}</span>" if r.random() < 0.5 else ""
            out.append(f"<div class='teaser'><h3><a href='/t'>{esc(h)}</a></h3>{s}{d}</div>")
        return "\n".join(out)

    def comments(self, k):
        r, lang, c = self.r, self.lang, self.c
        out = [f"<h2>{esc(r.choice(c['comments']))}</h2>"]
        for _ in range(k):
            out.append(f"<div class='comment'><b>{esc(r.choice(NAMES))}</b> <span>{r.choice([c['ago'], date_str(r, lang)])}</span>"
                       f"<p>{esc(paragraph(r, lang, 1, 3))}</p><span>{esc(r.choice(c['reply']))}</span>"
                       + (f"<span>Rating: {r.randint(1, 99)} Votes</span>" if r.random() < 0.3 else "") + "</div>")
        return "\n".join(out)

    def build(self):
        r, lang, c, lay = self.r, self.lang, self.c, self.layout
        title_html, byline, share, body = self.article()
        site = r.choice(["The Daily Ledger", "Nordkurier Online", "Le Petit Courrier", "Diario del Puerto", "城市晚报", "Metro Wire"])
        top = []
        if lay["cookie"]:
            top.append(f"<div class='cookie'><p>{esc(c['cookie'])}</p>{''.join(f'<button>{b}</button>' for b in c['accept'])}</div>")
        top.append(f"<header><div class='logo'>{esc(site)}</div><a href='/s'>{c['search']}</a> <a href='/l'>{c['login']}</a>")
        top.append(ul(r.sample(c["menu"], r.randint(6, len(c["menu"])))) + "</header>")
        if lay["ticker"]:
            top.append(f"<div class='ticker'>{self.teasers(r.randint(3, 6), False)}</div>")
        if lay["breadcrumb"]:
            crumbs = [c["menu"][0], r.choice(c["menu"][1:]), r.choice(c["menu"][1:])]
            top.append("<nav class='crumbs'>" + " &gt; ".join(f"<a href='/c'>{esc(x)}</a>" for x in crumbs) + "</nav>")
        main = [title_html]
        if lay["byline_first"]:
            main = [byline, title_html]
        else:
            main.append(byline)
        main.append(share)
        main.append(f"<div class='body'>{body}</div>")
        if lay["repeat"]:
            # A metadata block that repeats title and whole article on one line.
            flat = ("" if lang == "zh" else " ").join(self.truth)
            main.append(f"<div class='meta-desc'>{esc(flat)}</div>")
        if lay["tags"]:
            main.append(f"<div class='tags'>{c['tags']}: " + ", ".join(r.sample(c["menu"][1:], 3)) + "</div>")
        if lay["bio"]:
            main.append(f"<div class='bio'><b>{esc(r.choice(NAMES))}</b> {esc(c['bio'])}</div>")
        if lay["share_bottom"]:
            main.append(ul(c["share"], "share"))
        side = []
        if lay["sidebar"]:
            side.append(f"<aside><h2>{esc(r.choice(c['related']))}</h2>{self.teasers(r.randint(4, 8), lay['summaries'])}</aside>")
        bottom = []
        if lay["related"]:
            bottom.append(f"<section><h2>{esc(r.choice(c['related']))}</h2>{self.teasers(r.randint(3, 9), lay['summaries'])}</section>")
        if lay["comments"]:
            bottom.append(self.comments(r.randint(1, 7)))
        if lay["newsletter"]:
            bottom.append(f"<div class='nl'><h3>{esc(c['newsletter'])}</h3><input placeholder='email'><button>OK</button></div>")
        bottom.append("<footer>" + ul(c["footer"], "foot") + f"<p>© {r.randint(2019, 2026)} {esc(site)}</p></footer>")
        if lay["sidebar_first"]:
            order = top + side + main + bottom
        else:
            order = top + main + side + bottom
        wrap = lay["wrap"]
        body_html = "\n".join(x for x in order if x)
        if wrap == "table":
            body_html = f"<table><tr><td>{body_html}</td></tr></table>"
        return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{esc(self.title)} | {esc(site)}</title>"
                f"<script>var x = 1;</script><style>.a{{color:red}}</style></head><body>{body_html}</body></html>")


def layouts(seed):
    """Site layouts: fixed per index so the tuning / held-out split is stable."""
    out = []
    for i in range(16):
        r = random.Random(seed * 1000 + i)
        b = lambda p: r.random() < p  # noqa: E731
        out.append(dict(
            cookie=b(0.5), ticker=b(0.4), breadcrumb=b(0.6), byline=r.choice(["pipe", "lines", "none"]),
            byline_first=b(0.2), share=b(0.6), share_bottom=b(0.5), lede=b(0.4), images=b(0.7),
            caption_inline=b(0.5), gallery=b(0.3), subheads=b(0.5), lists=b(0.4), readmore=b(0.4),
            ad_in_article=b(0.3), agency=b(0.5), repeat=b(0.25), tags=b(0.6), bio=b(0.4), sidebar=b(0.6),
            sidebar_first=b(0.3), summaries=b(0.6), related=b(0.7), comments=b(0.5), newsletter=b(0.5),
            wrap=r.choice(["div", "div", "table"]),
        ))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--pages-per-cell", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    os.makedirs(f"{a.out}/html", exist_ok=True)
    os.makedirs(f"{a.out}/truth", exist_ok=True)
    meta = []
    for li, lay in enumerate(layouts(a.seed)):
        for lang in ["en", "de", "fr", "es", "zh"]:
            for k in range(a.pages_per_cell):
                r = random.Random(f"{a.seed}-{li}-{lang}-{k}")
                p = Page(r, lang, lay)
                page = p.build()
                pid = f"l{li:02d}_{lang}_{k}"
                with open(f"{a.out}/html/{pid}.html", "w") as f:
                    f.write(page)
                with open(f"{a.out}/truth/{pid}.txt", "w") as f:
                    f.write("\n".join(p.truth) + "\n")
                meta.append(dict(id=pid, layout=li, lang=lang, split="tune" if li < TUNE_LAYOUTS else "held-out"))
    with open(f"{a.out}/pages.json", "w") as f:
        json.dump(meta, f, indent=0)
    print(f"{len(meta)} pages in {a.out}")


if __name__ == "__main__":
    main()
