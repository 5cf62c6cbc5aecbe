"""The order ECMA-376 fixes for the children of the WordprocessingML elements
the DOCX writer emits or mends, in one table, and the function that puts an
element's children in it.

Word refuses or "repairs" a part whose children break their type's sequence,
where LibreOffice and pandoc read it happily. The sequences are those of the
transitional schema (ECMA-376 Part 1, ``wml.xsd``), keyed by the element's
tag; an element whose type differs by parent (``w:rPr`` in a run, a paragraph
mark or a style; ``w:pPr`` in a paragraph or a style) has one sequence that
holds every variant in order. Where python-docx models a type (CT_PPr, CT_RPr,
CT_SectPr, CT_Settings, CT_Style, CT_TblPr, CT_TcPr) tests check that its
declared order agrees with this table.

``"*"`` in a sequence stands for every child not named (the content of a
paragraph, a run, a cell). In a sequence without it, a child of a type
unknown here (an extension element, ``mc:AlternateContent``) keeps its place
after the known child before it instead of being moved to the end.
"""

from __future__ import annotations

from docx.oxml.ns import qn

_HDR_FTR = "w:headerReference|w:footerReference"
"""EG_HdrFtrReferences: a choice, headers and footers in any order among themselves."""

SEQUENCES: dict[str, tuple[str, ...]] = {
    # CT_Document, CT_Body (block content, then the last section's properties)
    "w:document": ("w:background", "w:body"),
    "w:body": ("*", "w:sectPr"),
    # CT_P, CT_R: properties first, then content
    "w:p": ("w:pPr", "*"),
    "w:r": ("w:rPr", "*"),
    # CT_PPr = CT_PPrBase + rPr, sectPr, pPrChange (CT_PPrGeneral: + pPrChange)
    "w:pPr": (
        "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
        "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
        "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
        "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
        "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
        "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
        "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
        "w:pPrChange"),
    # CT_ParaRPr (the paragraph mark: ins, del, moveFrom, moveTo first) and
    # CT_RPr: EG_RPrBase, then rPrChange
    "w:rPr": (
        "w:ins", "w:del", "w:moveFrom", "w:moveTo",
        "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
        "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
        "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing",
        "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
        "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
        "w:eastAsianLayout", "w:specVanish", "w:oMath", "w:rPrChange"),
    # CT_NumPr, CT_PBdr
    "w:numPr": ("w:ilvl", "w:numId", "w:numberingChange", "w:ins"),
    "w:pBdr": ("w:top", "w:left", "w:bottom", "w:right", "w:between", "w:bar"),
    # CT_SectPr
    "w:sectPr": (
        _HDR_FTR, "w:footnotePr", "w:endnotePr", "w:type", "w:pgSz", "w:pgMar", "w:paperSrc",
        "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt", "w:vAlign",
        "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid",
        "w:printerSettings", "w:sectPrChange"),
    # CT_FtnProps / CT_EdnProps (a section's), CT_FtnDocProps / CT_EdnDocProps (settings')
    "w:footnotePr": ("w:pos", "w:numFmt", "w:numStart", "w:numRestart", "w:footnote"),
    "w:endnotePr": ("w:pos", "w:numFmt", "w:numStart", "w:numRestart", "w:endnote"),
    # CT_Tbl, CT_TblPr (CT_TblPrBase + tblPrChange), CT_TblBorders, CT_TblCellMar
    "w:tbl": ("w:tblPr", "w:tblGrid", "*"),
    "w:tblPr": (
        "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
        "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
        "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
        "w:tblDescription", "w:tblPrChange"),
    "w:tblBorders": ("w:top", "w:start", "w:left", "w:bottom", "w:end", "w:right",
                     "w:insideH", "w:insideV"),
    "w:tblCellMar": ("w:top", "w:start", "w:left", "w:bottom", "w:end", "w:right"),
    "w:tcMar": ("w:top", "w:start", "w:left", "w:bottom", "w:end", "w:right"),
    "w:tblGrid": ("w:gridCol", "w:tblGridChange"),
    # CT_Row (CT_TrPr is a choice: any order), CT_Tc, CT_TcPr, CT_TcBorders
    "w:tr": ("w:tblPrEx", "w:trPr", "*"),
    "w:tc": ("w:tcPr", "*"),
    "w:tcPr": (
        "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd",
        "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
        "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange"),
    "w:tcBorders": ("w:top", "w:start", "w:left", "w:bottom", "w:end", "w:right",
                    "w:insideH", "w:insideV", "w:tl2br", "w:tr2bl"),
    # CT_Styles, CT_DocDefaults, CT_Style, CT_TblStylePr
    "w:styles": ("w:docDefaults", "w:latentStyles", "w:style"),
    "w:docDefaults": ("w:rPrDefault", "w:pPrDefault"),
    "w:style": (
        "w:name", "w:aliases", "w:basedOn", "w:next", "w:link", "w:autoRedefine", "w:hidden",
        "w:uiPriority", "w:semiHidden", "w:unhideWhenUsed", "w:qFormat", "w:locked",
        "w:personal", "w:personalCompose", "w:personalReply", "w:rsid", "w:pPr", "w:rPr",
        "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr"),
    "w:tblStylePr": ("w:pPr", "w:rPr", "w:tblPr", "w:trPr", "w:tcPr"),
    # CT_Numbering, CT_AbstractNum, CT_Lvl, CT_Num, CT_NumLvl
    "w:numbering": ("w:numPicBullet", "w:abstractNum", "w:num", "w:numIdMacAtCleanup"),
    "w:abstractNum": ("w:nsid", "w:multiLevelType", "w:tmpl", "w:name", "w:styleLink",
                      "w:numStyleLink", "w:lvl"),
    "w:lvl": ("w:start", "w:numFmt", "w:lvlRestart", "w:pStyle", "w:isLgl", "w:suff",
              "w:lvlText", "w:lvlPicBulletId", "w:legacy", "w:lvlJc", "w:pPr", "w:rPr"),
    "w:num": ("w:abstractNumId", "w:lvlOverride"),
    "w:lvlOverride": ("w:startOverride", "w:lvl"),
    # CT_Font (the font table)
    "w:font": ("w:altName", "w:panose1", "w:charset", "w:family", "w:notTrueType",
               "w:pitch", "w:sig", "w:embedRegular", "w:embedBold", "w:embedItalic",
               "w:embedBoldItalic"),
    # CT_Settings
    "w:settings": (
        "w:writeProtection", "w:view", "w:zoom", "w:removePersonalInformation",
        "w:removeDateAndTime", "w:doNotDisplayPageBoundaries", "w:displayBackgroundShape",
        "w:printPostScriptOverText", "w:printFractionalCharacterWidth", "w:printFormsData",
        "w:embedTrueTypeFonts", "w:embedSystemFonts", "w:saveSubsetFonts", "w:saveFormsData",
        "w:mirrorMargins", "w:alignBordersAndEdges", "w:bordersDoNotSurroundHeader",
        "w:bordersDoNotSurroundFooter", "w:gutterAtTop", "w:hideSpellingErrors",
        "w:hideGrammaticalErrors", "w:activeWritingStyle", "w:proofState", "w:formsDesign",
        "w:attachedTemplate", "w:linkStyles", "w:stylePaneFormatFilter",
        "w:stylePaneSortMethod", "w:documentType", "w:mailMerge", "w:revisionView",
        "w:trackRevisions", "w:doNotTrackMoves", "w:doNotTrackFormatting",
        "w:documentProtection", "w:autoFormatOverride", "w:styleLockTheme",
        "w:styleLockQFSet", "w:defaultTabStop", "w:autoHyphenation",
        "w:consecutiveHyphenLimit", "w:hyphenationZone", "w:doNotHyphenateCaps",
        "w:showEnvelope", "w:summaryLength", "w:clickAndTypeStyle", "w:defaultTableStyle",
        "w:evenAndOddHeaders", "w:bookFoldRevPrinting", "w:bookFoldPrinting",
        "w:bookFoldPrintingSheets", "w:drawingGridHorizontalSpacing",
        "w:drawingGridVerticalSpacing", "w:displayHorizontalDrawingGridEvery",
        "w:displayVerticalDrawingGridEvery", "w:doNotUseMarginsForDrawingGridOrigin",
        "w:drawingGridHorizontalOrigin", "w:drawingGridVerticalOrigin",
        "w:doNotShadeFormData", "w:noPunctuationKerning", "w:characterSpacingControl",
        "w:printTwoOnOne", "w:strictFirstAndLastChars", "w:noLineBreaksAfter",
        "w:noLineBreaksBefore", "w:savePreviewPicture", "w:doNotValidateAgainstSchema",
        "w:saveInvalidXml", "w:ignoreMixedContent", "w:alwaysShowPlaceholderText",
        "w:doNotDemarcateInvalidXml", "w:saveXmlDataOnly", "w:useXSLTWhenSaving",
        "w:saveThroughXslt", "w:showXMLTags", "w:alwaysMergeEmptyNamespace",
        "w:updateFields", "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat",
        "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
        "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures",
        "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
        "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol",
        "w:listSeparator"),
}


def _ranks(sequence: tuple[str, ...]) -> tuple[dict[str, int], int | None]:
    ranks: dict[str, int] = {}
    for i, names in enumerate(sequence):
        for name in names.split("|"):
            if name != "*":
                ranks[qn(name)] = i
    return ranks, sequence.index("*") if "*" in sequence else None


RANKS = {qn(tag): _ranks(sequence) for tag, sequence in SEQUENCES.items()}
"""Each sequence by Clark name: the rank of each child's tag, and the rank of
the children it does not name (``"*"``), or None."""


def child_ranks(element) -> list[int | None] | None:
    """The rank of each child of ``element`` in its type's sequence (None for
    a child the sequence does not know); None when the type is not in the table."""
    found = RANKS.get(element.tag)
    if found is None:
        return None
    ranks, rest = found
    return [ranks.get(c.tag, rest) if isinstance(c.tag, str) else None for c in element]


def in_schema_order(element) -> None:
    """Put ``element``'s children in its type's sequence (stable: repeated
    children keep their order); a child the sequence does not know, a comment
    or a processing instruction travels with the known child before it."""
    ranks = child_ranks(element)
    if ranks is None or _in_order(ranks):
        return
    groups: list[tuple[int, list]] = []  # (rank, [known child, its followers…])
    for node, rank in zip(list(element), ranks):
        if rank is None:
            if groups:
                groups[-1][1].append(node)
            else:  # before any known child: stays first
                groups.append((-1, [node]))
        else:
            groups.append((rank, [node]))
    ordered = sorted(groups, key=lambda g: g[0])
    for node in list(element):
        element.remove(node)
    for _, nodes in ordered:
        element.extend(nodes)


def _in_order(ranks: list[int | None]) -> bool:
    highest = -1
    for rank in ranks:
        if rank is not None:
            if rank < highest:
                return False
            highest = rank
    return True


def tree_in_schema_order(root) -> None:
    """Every element under ``root`` (itself included) in its type's sequence."""
    for element in list(root.iter(*RANKS)):
        in_schema_order(element)


def out_of_order(root) -> list[str]:
    """Each element under ``root`` whose known children break its sequence,
    as "parent: child after later-child" — empty when the part is in order."""
    found = []
    for element in root.iter(*RANKS):
        highest, highest_tag = -1, ""
        for node, rank in zip(element, child_ranks(element)):
            if rank is None:
                continue
            if rank < highest:
                found.append(f"{_short(element.tag)}: {_short(node.tag)} after "
                             f"{_short(highest_tag)}")
                break
            highest, highest_tag = rank, node.tag
    return found


def _short(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
