using CdaCheck.Core.Cda;

namespace CdaCheck.Core.Indicators;

/// <summary>
/// Computes the HOP'EN 2 and SUN-ES indicators from the extractions, each both naively (every SUCCES
/// trace or send) and on conformant documents only (<see cref="ConformanceGate"/>). Definitions,
/// exclusions and targets come from schemas/indicators/*.json. Indexing is by dictionaries
/// (venue number, document id, IPP): near-linear in the size of the extractions.
/// </summary>
public sealed class IndicatorEngine(ConformanceGate gate)
{
    private sealed record TraceInfo(DmpTrace Trace, ProducedDocument? Doc, string? Venue, string? Ipp, string? Kind);

    private sealed class MsgInfo(MssMessage msg, string? ipp)
    {
        public MssMessage Msg { get; } = msg;
        public string? Ipp { get; } = ipp;
    }

    /// <summary>A SUN-ES séjour: one venue, chained PSY venues, or a series of séances.</summary>
    private sealed class Stay
    {
        public required string Id { get; init; }
        public required string Ipp { get; init; }
        public required string Activity { get; init; }
        public required List<Venue> Venues { get; init; }
        public DateOnly Entry => Venues[0].Entry;
        public DateOnly? Exit { get; init; }
        public bool Surgery => Venues.Exists(v => v.Surgery);
    }

    private sealed class Context
    {
        public required IndicatorRequest Request { get; init; }
        /// <summary>A text of the run's language (<see cref="IndicatorRequest.Language"/>).</summary>
        public string T(string key, params object?[] args) => CdaCheck.Core.Localization.Texts.Format(Request.Language, key, args);
        public required IndicatorInputs Inputs { get; init; }
        public required ProgramDefinition Program { get; init; }
        public Dictionary<string, Venue> VenueByNo { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, List<Venue>> VenuesByIpp { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, ProducedDocument> DocById { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, List<ProducedDocument>> DocsByVenue { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, List<TraceInfo>> TracesByVenue { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, List<TraceInfo>> TracesByDoc { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, List<TraceInfo>> TracesByIpp { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, IdentityRow> IdentityByIpp { get; } = new(StringComparer.Ordinal);
        /// <summary>Patients whose DMP a trace says is closed (e.g. ERREUR_DMP_CLOS): no DMP.</summary>
        public HashSet<string> ClosedDmpIpps { get; } = new(StringComparer.Ordinal);
        public List<MsgInfo> Messages { get; } = new();
        public Dictionary<string, List<MsgInfo>> MessagesByVenue { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, List<MsgInfo>> MessagesByIppWithoutVenue { get; } = new(StringComparer.Ordinal);
        public Dictionary<(string, string), RejectedDocument> Rejections { get; } = new();
        public List<InputError> Warnings { get; } = new();
        /// <summary>HOP'EN closed séjours (ending in the period, by activity), shared by the indicators.</summary>
        public List<Stay>? ClosedStays { get; set; }
        /// <summary>Venue numbers belonging to a séjour (any month), for the SUN-ES report indicators.</summary>
        public HashSet<string>? VenuesInStays { get; set; }
        /// <summary>Séjours by patient (SUN-ES DS1.4: a previous séjour within 5 years).</summary>
        public Dictionary<string, List<Stay>>? StaysByIpp { get; set; }
        public string FileOf(string role) => Inputs.Files.FirstOrDefault(f => f.Role == role)?.File ?? role;
        public bool InRange(DateOnly? d) => d is { } x && x >= Request.Start && x <= Request.End;
    }

    public IndicatorReport Compute(IndicatorRequest request, IndicatorInputs inputs, ProgramDefinition program)
    {
        var ctx = new Context { Request = request, Inputs = inputs, Program = program };
        Index(ctx);
        Prewarm(ctx);
        string? window = null, tier = null;
        IReadOnlySet<string>? reached = null;
        WindowDetail? windowInfo = null;
        if (program.Program == "sun-es")
        {
            // the window applied for (--window S1-2022 or F1) decides the targets and the months that count; without
            // it, the calendar semester of the month
            windowInfo = program.FindWindow(request.Window ?? program.WindowOf(request.Year, request.Month));
            window = windowInfo?.Id ?? request.Window ?? program.WindowOf(request.Year, request.Month);
        }
        else
        {
            // per SUN-ES domain; --tier is the shorthand for all domains (sun-es-reached) or none (other)
            reached = request.SunEsReached
                ?? ((request.Tier ?? program.DefaultTier) == "sun-es-reached" ? program.Domains.ToHashSet(StringComparer.Ordinal) : new HashSet<string>());
            tier = reached.Count == 0 ? "other" : program.Domains.All(reached.Contains) ? "sun-es-reached" : null;
        }
        var report = new IndicatorReport
        {
            Request = request, Definitions = program, Window = window, Tier = tier, SunEsReached = reached,
            WindowInfo = windowInfo, WindowApplied = request.Window is not null,
        };
        report.Inputs.AddRange(inputs.Files);
        report.InputErrors.AddRange(inputs.Errors);
        report.InputErrors.AddRange(ctx.Warnings);
        // séjours by activity (MCO/SMR venue, PSY chained venues, HAD ≥ 8 days, séances in series): both programmes
        var stays = BuildStays(ctx, report.InputErrors);
        foreach (var def in program.Indicators)
        {
            var r = new IndicatorResult { Definition = def };
            if (program.Program == "sun-es") ComputeSunEs(ctx, def, r, stays!);
            else ComputeHopen(ctx, def, r, stays);
            if (reached is not null) r.TargetTier = ProgramDefinition.TierOf(def, reached, program.Domains);
            Finish(r, def, window ?? r.TargetTier);
            report.Indicators.Add(r);
        }
        if (program.Prerequisites.Count > 0) report.Prerequisites.AddRange(Prerequisites.Evaluate(gate, program, request, window));
        report.Validations = gate.Validations;
        return report;
    }

    // ---------------------------------------------------------------- indexing

    private void Index(Context ctx)
    {
        foreach (var v in ctx.Inputs.Venues)
        {
            ctx.VenueByNo[v.Number] = v;
            Add(ctx.VenuesByIpp, v.Ipp, v);
        }
        foreach (var list in ctx.VenuesByIpp.Values) list.Sort((a, b) => a.Entry.CompareTo(b.Entry));
        foreach (var d in ctx.Inputs.Documents)
        {
            ctx.DocById[d.LocalId] = d;
            if (d.Venue is not null && !ctx.VenueByNo.ContainsKey(d.Venue))
                ctx.Warnings.Add(new InputError(ctx.FileOf("documents"), d.Line, ctx.T("ind.warn.docVenueUnknown")));
            if (d.Venue is not null) Add(ctx.DocsByVenue, d.Venue, d);
        }
        // a month's traces use a handful of statuses and type codes: each is normalised and classified once
        var successOf = new Dictionary<string, bool>(StringComparer.Ordinal);
        var kindOf = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var t in ctx.Inputs.Traces)
        {
            var status = t.Status ?? "";
            if (!successOf.TryGetValue(status, out var success))
                successOf[status] = success = ctx.Program.DmpSuccess.Contains(CsvReader.NormalizeValue(t.Status));
            if (!success)
            {
                if (ctx.Program.DmpClosedStatuses.Count > 0 && ctx.Program.DmpClosedStatuses.Contains(CsvReader.NormalizeValue(t.Status)))
                    if ((t.Ipp ?? (ctx.DocById.TryGetValue(t.LocalId, out var cd) ? cd.Ipp : null)) is { } closedIpp) ctx.ClosedDmpIpps.Add(closedIpp);
                continue;
            }
            ctx.DocById.TryGetValue(t.LocalId, out var doc);
            var venue = t.Stay ?? doc?.Venue;
            Venue? v = null;
            bool venueKnown = venue is not null && ctx.VenueByNo.TryGetValue(venue, out v);
            var ipp = t.Ipp ?? doc?.Ipp ?? (venueKnown ? v!.Ipp : null);
            string? kind = null;
            if (t.TypeCode is { } code && !kindOf.TryGetValue(code, out kind)) kindOf[code] = kind = gate.KindOf(code)?.Id;
            var info = new TraceInfo(t, doc, venue, ipp, kind);
            if (venue is null)
                ctx.Warnings.Add(new InputError(ctx.FileOf("traces"), t.Line, ctx.T("ind.warn.traceNoStay")));
            else if (!venueKnown)
                ctx.Warnings.Add(new InputError(ctx.FileOf("traces"), t.Line, ctx.T("ind.warn.traceStayUnknown")));
            if (venue is not null) Add(ctx.TracesByVenue, venue, info);
            Add(ctx.TracesByDoc, t.LocalId, info, 1); // most documents have one trace
            if (ipp is not null) Add(ctx.TracesByIpp, ipp, info);
        }
        foreach (var m in ctx.Inputs.Mss)
        {
            var ipp = m.Ipp ?? (m.Venue is not null && ctx.VenueByNo.TryGetValue(m.Venue, out var v) ? v.Ipp : null);
            var info = new MsgInfo(m, ipp);
            if (m.Venue is not null && !ctx.VenueByNo.ContainsKey(m.Venue))
                ctx.Warnings.Add(new InputError(ctx.FileOf("mss"), m.Line, ctx.T("ind.warn.mssVenueUnknown")));
            ctx.Messages.Add(info);
            if (m.Venue is not null) Add(ctx.MessagesByVenue, m.Venue, info);
            else if (ipp is not null) Add(ctx.MessagesByIppWithoutVenue, ipp, info);
        }
        foreach (var i in ctx.Inputs.Identities) ctx.IdentityByIpp[i.Ipp] = i;
    }

    private static void Add<T>(Dictionary<string, List<T>> d, string key, T value, int capacity = 4)
    {
        ref var list = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(d, key, out _);
        list ??= new List<T>(capacity);
        list.Add(value);
    }

    /// <summary>Validates every referenced file once, in parallel, before counting.</summary>
    private void Prewarm(Context ctx)
    {
        var work = new HashSet<(string, GateMode)>();
        foreach (var list in ctx.TracesByDoc.Values)
            foreach (var t in list)
                if (DocPath(ctx, t) is { } p) work.Add((p, GateMode.Dmp));
        foreach (var m in ctx.Messages)
            if (gate.ResolveAttachment(m.Msg.Attachment, ctx.Inputs.MssFolder) is { } p) work.Add((p, GateMode.Mss));
        Parallel.ForEach(work, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, w =>
        {
            try { gate.Validate(w.Item1, w.Item2); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        });
    }

    private string? DocPath(Context ctx, TraceInfo t) => gate.Locate(t.Doc?.File, ctx.Inputs.DocumentsFolder, t.Trace.LocalId);

    // ---------------------------------------------------------------- crediting

    private void CreditTraces(Context ctx, IndicatorResult r, UnitRow unit, IEnumerable<TraceInfo> traces, IndicatorDefinition def, bool historical)
    {
        foreach (var t in traces)
        {
            unit.Naive = true;
            if (!unit.Documents.Contains(t.Trace.LocalId)) unit.Documents.Add(t.Trace.LocalId);
            var g = gate.CheckDocument(t.Trace.LocalId, DocPath(ctx, t), t.Trace.TypeCode, def, historical);
            if (g.Counts) { unit.Counted = true; continue; }
            foreach (var reason in g.Reasons) unit.Reasons.Add(reason);
            Reject(ctx, r, t.Trace.LocalId, g);
        }
    }

    private void CreditMessages(Context ctx, IndicatorResult r, UnitRow unit, IEnumerable<MsgInfo> messages, IndicatorDefinition def)
    {
        foreach (var m in messages)
        {
            unit.Naive = true;
            var label = m.Msg.Id;
            if (!unit.Documents.Contains(label)) unit.Documents.Add(label);
            if (!def.RequireConformantAttachment && !(def.AttachmentMustHaveQualifiedIns && m.Msg.Attachment is not null)) { unit.Counted = true; continue; }
            var g = gate.CheckAttachment(m.Msg.Id, m.Msg.Attachment, gate.ResolveAttachment(m.Msg.Attachment, ctx.Inputs.MssFolder), def);
            if (g.Counts) { unit.Counted = true; continue; }
            foreach (var reason in g.Reasons) unit.Reasons.Add(reason);
            Reject(ctx, r, label, g);
        }
    }

    private static void Reject(Context ctx, IndicatorResult r, string document, GateResult g)
    {
        if (!ctx.Rejections.TryGetValue((r.Id, document), out var rej))
        {
            ctx.Rejections[(r.Id, document)] = rej = new RejectedDocument { Document = document, File = g.File };
            r.Rejected.Add(rej);
        }
        foreach (var reason in g.Reasons) rej.Reasons.Add(reason);
        foreach (var m in g.Messages) if (rej.Messages.Count < Reasons.MaxMessages && !rej.Messages.Contains(m)) rej.Messages.Add(m);
    }

    private bool SuccessMss(Context ctx, MsgInfo m, string channel) =>
        ctx.Program.MssSuccess.Contains(CsvReader.NormalizeValue(m.Msg.Status)) &&
        m.Msg.RecipientType == (channel == "mss-pro" ? "ps" : "patient");

    private static string? ExclusionOf(Venue v, IReadOnlyList<Exclusion> list)
    {
        foreach (var e in list)
        {
            v.Raw.TryGetValue(e.ColumnKey, out var value);
            if (value is null) continue;
            if (e.EqualsKey is not null)
            {
                if (CsvReader.NormalizeValue(value) == e.EqualsKey) return e.Label;
            }
            else if (CsvValues.TryBool(value, false, out var b) && b) return e.Label;
        }
        return null;
    }

    // ---------------------------------------------------------------- HOP'EN 2

    private void ComputeHopen(Context ctx, IndicatorDefinition def, IndicatorResult r, List<Stay> stays)
    {
        var p = ctx.Program;
        // the same for every indicator of the run: computed once, read only below. A séjour is closed when it ends
        // in the month (the webinar's definitions by activity: a dialysis series is one séjour, not one per séance).
        var closed = ctx.ClosedStays ??= stays.Where(s => ctx.InRange(s.Exit)).ToList();
        switch (def.Population)
        {
            case "closed-stays":
            case "closed-stays-with-produced-kind":
            case "closed-stays-with-surgery":
            {
                IEnumerable<Stay> pop = def.Population switch
                {
                    "closed-stays-with-produced-kind" => closed.Where(s => s.Venues.Exists(v => ctx.DocsByVenue.TryGetValue(v.Number, out var ds) && ds.Exists(d => !d.NotTransmitted && KindOf(d.TypeCode) == def.Kind))),
                    "closed-stays-with-surgery" => closed.Where(s => s.Surgery),
                    _ => closed,
                };
                foreach (var st in pop)
                {
                    var unit = new UnitRow { Indicator = def.Id, UnitType = def.Unit, UnitId = st.Id, Ipp = st.Ipp, Note = st.Activity == p.DefaultActivity ? null : st.Activity };
                    r.Units.Add(unit);
                    if (def.ApplyExclusions && st.Venues.Select(v => ExclusionOf(v, p.Exclusions)).FirstOrDefault(x => x is not null) is { } ex) { unit.InDenominator = false; unit.Exclusion = ex; continue; }
                    CreditTraces(ctx, r, unit, st.Venues.SelectMany(v => ctx.TracesByVenue.TryGetValue(v.Number, out var ts) ? ts : []).Where(t => t.Kind == def.Kind), def, false);
                }
                break;
            }
            case "ace-consultations":
            {
                foreach (var v in ctx.Inputs.Venues.Where(v => v.AceConsultation && ctx.InRange(v.Entry) && ExclusionOf(v, p.ExcludedVenues) is null))
                {
                    var unit = new UnitRow { Indicator = def.Id, UnitType = def.Unit, UnitId = v.Number, Ipp = v.Ipp };
                    r.Units.Add(unit);
                    if (def.ApplyExclusions && ExclusionOf(v, p.Exclusions) is { } ex) { unit.InDenominator = false; unit.Exclusion = ex; continue; }
                    if (ctx.TracesByVenue.TryGetValue(v.Number, out var ts))
                        CreditTraces(ctx, r, unit, ts.Where(t => t.Kind == def.Kind), def, false);
                }
                break;
            }
            case "produced-documents":
                ComputeDocuments(ctx, def, r, applyExclusions: def.ApplyExclusions);
                break;
            case "active-file-identities":
                ComputeIdentities(ctx, def, r);
                break;
            case "closed-stay-patients":
            {
                var firstEntry = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
                foreach (var st in closed)
                    if (!firstEntry.TryGetValue(st.Ipp, out var d) || st.Entry < d) firstEntry[st.Ipp] = st.Entry;
                var msgsByIpp = new Dictionary<string, List<MsgInfo>>(StringComparer.Ordinal);
                foreach (var m in ctx.Messages)
                    if (m.Ipp is not null && SuccessMss(ctx, m, def.Channel!)) Add(msgsByIpp, m.Ipp, m);
                foreach (var (ipp, entry) in firstEntry.OrderBy(x => x.Key, StringComparer.Ordinal))
                {
                    var unit = new UnitRow { Indicator = def.Id, UnitType = def.Unit, UnitId = ipp, Ipp = ipp };
                    r.Units.Add(unit);
                    if (msgsByIpp.TryGetValue(ipp, out var ms))
                        CreditMessages(ctx, r, unit, ms.Where(m => m.Msg.Date >= entry), def);
                }
                break;
            }
            default:
                r.Note = ctx.T("ind.note.populationNotComputed", def.Population);
                break;
        }
        int raw = r.Units.Count(u => u.InDenominator);
        r.DenominatorRaw = raw;
        r.Denominator = Rates.Trim(raw * def.Weighting);
    }

    private string? KindOf(string? typeCode) => gate.KindOf(typeCode)?.Id;

    /// <summary>Document-based formula: documents produced in the month of the kind, minus non-transmission, with a conformant SUCCES trace.</summary>
    private (int Num, int NaiveNum, int Den) ComputeDocuments(Context ctx, IndicatorDefinition def, IndicatorResult? r, bool applyExclusions,
        Func<ProducedDocument, string?>? outOfScope = null)
    {
        int num = 0, naive = 0, den = 0;
        var scratch = r ?? new IndicatorResult { Definition = def };
        foreach (var d in ctx.Inputs.Documents)
        {
            if (!ctx.InRange(d.Produced) || KindOf(d.TypeCode) != def.Kind) continue;
            var unit = new UnitRow { Indicator = def.Id, UnitType = "document", UnitId = d.LocalId, Ipp = d.Ipp };
            if (r is not null) r.Units.Add(unit);
            if (d.NotTransmitted) { unit.InDenominator = false; unit.Exclusion = "non-transmission"; continue; }
            if (outOfScope?.Invoke(d) is { } why) { unit.InDenominator = false; unit.Exclusion = why; continue; }
            if (applyExclusions && d.Venue is not null && ctx.VenueByNo.TryGetValue(d.Venue, out var v) && ExclusionOf(v, ctx.Program.Exclusions) is { } ex)
            {
                unit.InDenominator = false; unit.Exclusion = ex; continue;
            }
            den++;
            if (ctx.TracesByDoc.TryGetValue(d.LocalId, out var ts)) CreditTraces(ctx, scratch, unit, ts, def, false);
            if (unit.Counted) num++;
            if (unit.Naive) naive++;
        }
        return (num, naive, den);
    }

    private void ComputeIdentities(Context ctx, IndicatorDefinition def, IndicatorResult r)
    {
        var active = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var v in ctx.Inputs.Venues)
            if (v.Entry <= ctx.Request.End && (v.Exit ?? DateOnly.MaxValue) >= ctx.Request.Start) active.Add(v.Ipp);
        if (!ctx.Inputs.HasIdentities && !ctx.Inputs.VenuesHaveInsQualified)
            r.Note = ctx.T("ind.note.noIdentities");
        foreach (var ipp in active)
        {
            var unit = new UnitRow { Indicator = def.Id, UnitType = def.Unit, UnitId = ipp, Ipp = ipp };
            r.Units.Add(unit);
            if (ctx.Inputs.HasIdentities)
            {
                if (!ctx.IdentityByIpp.TryGetValue(ipp, out var id)) { unit.Note = ctx.T("ind.note.ippNotInIdentities"); continue; }
                if (id.Fictitious) { unit.InDenominator = false; unit.Exclusion = ctx.T("ind.excl.fictitious"); continue; }
                if (id.Doubtful) { unit.InDenominator = false; unit.Exclusion = ctx.T("ind.excl.doubtful"); continue; }
                // "disposant d'une INS": the INS was retrieved (récupérée or qualifiée); provisoire and validée have none
                var status = IdentityStatus(id.Status);
                if (status is not ("qualifiee" or "recuperee"))
                {
                    unit.InDenominator = false;
                    unit.Exclusion = ctx.T("ind.excl.noIns", id.Status ?? ctx.T("ind.excl.statusEmpty"));
                    continue;
                }
                unit.Counted = unit.Naive = status == "qualifiee";
                if (!unit.Counted) unit.Note = ctx.T("ind.note.status", id.Status);
            }
            else if (ctx.Inputs.VenuesHaveInsQualified)
                unit.Counted = unit.Naive = ctx.VenuesByIpp[ipp].Exists(v => v.InsQualified == true);
            else unit.InDenominator = false;
        }
    }

    /// <summary>
    /// The RNIV identity status, matched exactly (a "non qualifiée" is not qualified): provisoire, recuperee, validee or
    /// qualifiee, with or without the word "identité" before it; null for anything else.
    /// </summary>
    public static string? IdentityStatus(string? status)
    {
        var n = CsvReader.NormalizeValue(status);
        if (n.StartsWith("identite ", StringComparison.Ordinal)) n = n["identite ".Length..];
        if (n.StartsWith("statut ", StringComparison.Ordinal)) n = n["statut ".Length..];
        return n switch
        {
            "qualifiee" or "qualifie" or "iq" => "qualifiee",
            "recuperee" or "recupere" or "ir" => "recuperee",
            "validee" or "valide" or "iv" => "validee",
            "provisoire" or "ip" => "provisoire",
            _ => null,
        };
    }

    private static bool IsQualifiedStatus(string? status) => IdentityStatus(status) == "qualifiee";

    // ---------------------------------------------------------------- SUN-ES

    private List<Stay> BuildStays(Context ctx, List<InputError> errors)
    {
        var p = ctx.Program;
        var stays = new List<Stay>();
        var byActivity = new Dictionary<string, List<Venue>>(StringComparer.Ordinal);
        var defs = p.Stays.ToDictionary(s => s.Activity, StringComparer.Ordinal);
        var venuesFile = ctx.Inputs.Files.FirstOrDefault(f => f.Role == "venues")?.File ?? "venues";
        foreach (var v in ctx.Inputs.Venues)
        {
            if (ExclusionOf(v, p.ExcludedVenues) is not null) continue;
            var act = p.DefaultActivity;
            if (v.Activity is not null)
            {
                var norm = ColumnAliases.Key(v.Activity); // case, accents, spaces and punctuation: "Psychiatrie infanto-juvénile"
                var sd = p.Stays.FirstOrDefault(s => s.Aliases.Contains(norm));
                if (sd is null) errors.Add(new InputError(venuesFile, v.Line, ctx.T("ind.warn.unknownActivity", v.Activity.Length > 30 ? v.Activity[..30] : v.Activity, p.DefaultActivity)));
                else act = sd.Activity;
            }
            Add(byActivity, act, v);
        }
        foreach (var (act, venues) in byActivity.OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            if (!defs.TryGetValue(act, out var sd)) continue;
            // dialysis séances of one séjour belong to the same legal entity (FINESS juridique) when the extraction says so
            foreach (var group in venues.GroupBy(v => sd.SameLegalEntity ? v.Ipp + "\u0001" + v.LegalEntity : v.Ipp, StringComparer.Ordinal))
            {
                var ipp = group.First().Ipp;
                var list = group.OrderBy(v => v.Entry).ThenBy(v => v.Number, StringComparer.Ordinal).ToList();
                switch (sd.Mode)
                {
                    case "chained-venues":
                    {
                        var chain = new List<Venue>();
                        DateOnly? end = null;
                        bool open = false;
                        void Flush()
                        {
                            if (chain.Count == 0) return;
                            var last = chain[^1];
                            if (!open && (!sd.RequireDischarged || last.Discharged))
                                stays.Add(new Stay { Id = string.Join("+", chain.Select(c => c.Number)), Ipp = ipp, Activity = act, Venues = chain.ToList(), Exit = end });
                            chain.Clear(); end = null; open = false;
                        }
                        foreach (var v in list)
                        {
                            if (chain.Count > 0 && (open || v.Entry > Dates.AddDays(end!.Value, sd.MaxGapDays))) Flush();
                            if (chain.Count > 0 && open) Flush();
                            chain.Add(v);
                            if (v.Exit is null) open = true;
                            else if (end is null || v.Exit > end) end = v.Exit;
                        }
                        Flush();
                        break;
                    }
                    case "series":
                    {
                        int i = 0;
                        while (i < list.Count)
                        {
                            var limit = Dates.AddMonths(list[i].Entry, sd.WindowMonths);
                            int j = i;
                            while (j + 1 < list.Count && list[j + 1].Entry < limit) j++;
                            if (j - i + 1 >= sd.MinSessions)
                            {
                                var sessions = list.GetRange(i, j - i + 1);
                                stays.Add(new Stay { Id = string.Join("+", sessions.Select(c => c.Number)), Ipp = ipp, Activity = act, Venues = sessions, Exit = sessions[^1].Exit ?? sessions[^1].Entry });
                                i = j + 1;
                            }
                            else i++;
                        }
                        break;
                    }
                    default:
                        foreach (var v in list)
                        {
                            if (sd.RequireDischarged && !v.Discharged) continue;
                            if (v.Exit is null) continue;
                            if (sd.MinDays > 0 && v.Exit.Value.DayNumber - v.Entry.DayNumber < sd.MinDays) continue;
                            if (sd.AdultsOnly && v.Minor) continue;
                            stays.Add(new Stay { Id = v.Number, Ipp = ipp, Activity = act, Venues = [v], Exit = v.Exit });
                        }
                        break;
                }
            }
        }
        return stays;
    }

    private void ComputeSunEs(Context ctx, IndicatorDefinition def, IndicatorResult r, List<Stay> stays)
    {
        var closed = stays.Where(s => ctx.InRange(s.Exit)).ToList();
        IEnumerable<TraceInfo> TracesOf(Stay s) =>
            s.Venues.SelectMany(v => ctx.TracesByVenue.TryGetValue(v.Number, out var ts) ? ts : []).Where(t => t.Kind == def.Kind);
        switch (def.Population)
        {
            case "stays":
            case "stays-with-produced-kind":
            case "stays-with-surgery":
            {
                IEnumerable<Stay> pop = def.Population switch
                {
                    "stays-with-produced-kind" => closed.Where(s => s.Venues.Exists(v => ctx.DocsByVenue.TryGetValue(v.Number, out var ds) && ds.Exists(d => !d.NotTransmitted && KindOf(d.TypeCode) == def.Kind))),
                    "stays-with-surgery" => closed.Where(s => s.Surgery),
                    _ => closed,
                };
                var units = new List<(Stay, UnitRow)>();
                foreach (var s in pop)
                {
                    var unit = new UnitRow { Indicator = def.Id, UnitType = def.Unit, UnitId = s.Id, Ipp = s.Ipp, Note = s.Activity };
                    r.Units.Add(unit);
                    units.Add((s, unit));
                }
                ApplyDmp(ctx, def, r, units);
                foreach (var (s, unit) in units)
                {
                    if (!unit.InDenominator) continue;
                    if (def.Channel == "mss-patient")
                        CreditMessages(ctx, r, unit, MessagesOf(ctx, s, def), def);
                    else CreditTraces(ctx, r, unit, TracesOf(s), def, false);
                }
                if (def.Kind is not null and not "*" && def.Channel is null)
                {
                    // national verification formula: séjours with a DMP (the DMP status known open), credited by a
                    // conformant document of the kind; several documents of a séjour (ODS sent in lots) count once
                    int nNum = 0, nDen = 0;
                    var scratch = new IndicatorResult { Definition = def };
                    foreach (var (s, unit) in units)
                    {
                        if (DmpStatus(ctx, s) != true) continue;
                        nDen++;
                        if (unit.InDenominator) { if (unit.Counted) nNum++; continue; }
                        var probe = new UnitRow { Indicator = def.Id, UnitType = def.Unit, UnitId = s.Id, Ipp = s.Ipp };
                        CreditTraces(ctx, scratch, probe, TracesOf(s), def, false);
                        if (probe.Counted) nNum++;
                    }
                    r.National = new NationalFormula(nNum, nDen, Rates.Percent(nNum, nDen), "sejour");
                }
                break;
            }
            case "produced-reports":
            {
                // "Nombre de comptes rendus … produits et transmis / Nombre de comptes rendus … produits", over the exams
                // of séjours and of external consultations (ACE): the unit is the report, not the séjour
                var inStay = ctx.VenuesInStays ??= stays.SelectMany(s => s.Venues).Select(v => v.Number).ToHashSet(StringComparer.Ordinal);
                ComputeDocuments(ctx, def, r, applyExclusions: false, d =>
                    d.Venue is null ? ctx.T("ind.note.docWithoutVenue")
                    : !ctx.VenueByNo.TryGetValue(d.Venue, out var v) ? ctx.T("ind.note.venueNotInFile")
                    : inStay.Contains(v.Number) || v.AceConsultation ? null
                    : ctx.T("ind.note.neitherStayNorAce"));
                break;
            }
            case "stays-with-history":
            {
                var units = new List<(Stay, UnitRow)>();
                var cutoffYears = ctx.Program.HistoryYears;
                foreach (var s in closed)
                {
                    // a previous *séjour* (by activity, not any venue) of the patient ended within the 5 years before the entry
                    var previous = ctx.StaysByIpp ??= stays.GroupBy(x => x.Ipp, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
                    if (!previous.TryGetValue(s.Ipp, out var mine) || !mine.Exists(o => !ReferenceEquals(o, s) && o.Entry < s.Entry
                        && o.Exit is { } oe && oe < s.Entry && oe >= Dates.AddMonths(s.Entry, -12 * cutoffYears))) continue;
                    var unit = new UnitRow { Indicator = def.Id, UnitType = def.Unit, UnitId = s.Id, Ipp = s.Ipp, Note = s.Activity };
                    r.Units.Add(unit);
                    units.Add((s, unit));
                }
                ApplyDmp(ctx, def, r, units);
                foreach (var (s, unit) in units)
                {
                    if (!unit.InDenominator || !ctx.TracesByIpp.TryGetValue(s.Ipp, out var ts)) continue;
                    var ids = s.Venues.Select(v => v.Number).ToHashSet(StringComparer.Ordinal);
                    // sent "en anticipation …, pendant le séjour, ou à posteriori, ou hors de ce cadre": any emission up to the period's end
                    var historical = ts.Where(t => t.Trace.Emitted <= ctx.Request.End && IsHistorical(ctx, t, s, ids));
                    CreditTraces(ctx, r, unit, historical, def, true);
                }
                break;
            }
            case "stay-correspondents":
            {
                foreach (var s in closed)
                {
                    var pairs = new SortedDictionary<string, List<MsgInfo>>(StringComparer.Ordinal);
                    foreach (var m in MessagesOfAnyStatus(ctx, s, "ps"))
                        if (m.Msg.Recipient is { } rcpt)
                        {
                            if (!pairs.TryGetValue(rcpt, out var l)) pairs[rcpt] = l = new List<MsgInfo>();
                            l.Add(m);
                        }
                    foreach (var (rcpt, ms) in pairs)
                    {
                        var unit = new UnitRow { Indicator = def.Id, UnitType = def.Unit, UnitId = s.Id + " → " + rcpt, Ipp = s.Ipp };
                        r.Units.Add(unit);
                        if (def.EquippedOnly && !ms.Exists(m => m.Msg.RecipientEquipped))
                        {
                            // "correspondants équipés MSSanté": a correspondent without MSSanté is outside the denominator
                            unit.InDenominator = false;
                            unit.Exclusion = ctx.T("ind.excl.notEquipped");
                            continue;
                        }
                        var credited = ms.Where(m => m.Msg.RecipientEquipped && SuccessMss(ctx, m, "mss-pro")).ToList();
                        if (credited.Count == 0) unit.Note = ms.Exists(m => m.Msg.RecipientEquipped) ? ctx.T("ind.note.noSuccessfulSend") : ctx.T("ind.excl.notEquipped");
                        CreditMessages(ctx, r, unit, credited, def);
                    }
                }
                break;
            }
            case "declared":
                r.Status = "declared";
                r.Note = ctx.T("ind.note.declared");
                break;
            default:
                r.Note = ctx.T("ind.note.populationNotComputed", def.Population);
                break;
        }
        if (r.DenominatorMode is null)
        {
            r.DenominatorRaw = r.Units.Count(u => u.InDenominator);
            r.Denominator = r.DenominatorRaw;
        }
        if (def.Kind is not null and not "*" && r.National is null)
        {
            var (num, _, den) = ComputeDocuments(ctx, def, null, applyExclusions: false);
            r.National = new NationalFormula(num, den, Rates.Percent(num, den));
        }
    }

    private static bool IsHistorical(Context ctx, TraceInfo t, Stay s, HashSet<string> stayVenues)
    {
        if (t.Doc is null) return false;
        if (t.Doc.Historical) return true;
        if (t.Doc.Venue is not null && !stayVenues.Contains(t.Doc.Venue) && ctx.VenueByNo.TryGetValue(t.Doc.Venue, out var v) && v.Entry < s.Entry) return true;
        return t.Doc.Produced < s.Entry;
    }

    private IEnumerable<MsgInfo> MessagesOfAnyStatus(Context ctx, Stay s, string type)
    {
        foreach (var v in s.Venues)
            if (ctx.MessagesByVenue.TryGetValue(v.Number, out var ms))
                foreach (var m in ms)
                    if (m.Msg.RecipientType == type) yield return m;
        if (ctx.MessagesByIppWithoutVenue.TryGetValue(s.Ipp, out var byIpp))
            foreach (var m in byIpp)
                if (m.Msg.RecipientType == type && m.Msg.Date >= s.Entry && m.Msg.Date <= ctx.Request.End) yield return m;
    }

    private IEnumerable<MsgInfo> MessagesOf(Context ctx, Stay s, IndicatorDefinition def) =>
        MessagesOfAnyStatus(ctx, s, def.Channel == "mss-pro" ? "ps" : "patient").Where(m => SuccessMss(ctx, m, def.Channel!));

    /// <summary>
    /// SUN-ES denominators count séjours of patients who have a DMP: directly from the DMP column when
    /// every séjour's status is known, else the guide's estimate (total − qualified without DMP −
    /// not qualified × the share of qualified séjours without DMP), else every séjour.
    /// </summary>
    private void ApplyDmp(Context ctx, IndicatorDefinition def, IndicatorResult r, List<(Stay Stay, UnitRow Unit)> units)
    {
        if (!def.DmpAdjusted) return;
        var p = ctx.Program;
        r.DenominatorRaw = units.Count;
        // steps 1–2: the domain's séjours, minus the prescribed removals (patients who cannot have an INS) and the
        // legitimate oppositions
        var kept = new List<(Stay Stay, UnitRow Unit)>(units.Count);
        foreach (var u in units)
        {
            if (u.Stay.Venues.Select(v => ExclusionOf(v, p.DmpRemovals)).FirstOrDefault(x => x is not null) is { } removal)
            { u.Unit.InDenominator = false; u.Unit.Exclusion = removal; continue; }
            if (p.OppositionExcludes && u.Stay.Venues.Exists(v => v.DmpOpposition))
            { u.Unit.InDenominator = false; u.Unit.Exclusion = ctx.T("ind.excl.opposition"); continue; }
            kept.Add(u);
        }
        var status = kept.Select(u => DmpStatus(ctx, u.Stay)).ToList();
        int total = kept.Count;
        if (ctx.Inputs.VenuesHaveDmp && status.TrueForAll(s => s is not null))
        {
            r.DenominatorMode = "dmp-column";
            for (int i = 0; i < kept.Count; i++)
                if (status[i] == false) { kept[i].Unit.InDenominator = false; kept[i].Unit.Exclusion = ctx.T("ind.excl.noDmp"); }
            r.Denominator = units.Count(u => u.Unit.InDenominator);
            return;
        }
        var qualified = kept.Select(u => InsQualified(ctx, u.Stay)).ToList();
        if ((ctx.Inputs.VenuesHaveDmp || ctx.ClosedDmpIpps.Count > 0) && (ctx.Inputs.VenuesHaveInsQualified || ctx.Inputs.HasIdentities))
        {
            // step 3: séjours with a qualified INS whose patient has no DMP; step 4: the séjours without a qualified INS
            // are assumed without DMP in the same proportion, that count rounded (guide: 100 − 10 − 40 × 10/60 → 100 − 10 − 7 = 83)
            int q = qualified.Count(x => x), qNoDmp = 0;
            for (int i = 0; i < kept.Count; i++)
                if (qualified[i] && status[i] == false)
                {
                    qNoDmp++;
                    kept[i].Unit.InDenominator = false;
                    kept[i].Unit.Exclusion = ctx.T("ind.excl.insWithoutDmp");
                }
            int notQ = total - q;
            decimal share = q == 0 ? 0m : (decimal)notQ * qNoDmp / q;
            r.DenominatorMode = "estimate";
            r.DenominatorEstimate = Math.Round(total - qNoDmp - share, 2, MidpointRounding.AwayFromZero);
            r.Denominator = total - qNoDmp - Math.Round(share, 0, MidpointRounding.AwayFromZero);
            return;
        }
        r.DenominatorMode = "all-stays";
        r.Denominator = total;
    }

    /// <summary>true = DMP open, false = no DMP or opposition, null = unknown.</summary>
    private static bool? DmpStatus(Context ctx, Stay s)
    {
        var p = ctx.Program;
        if (p.OppositionExcludes && s.Venues.Exists(v => v.DmpOpposition)) return false;
        if (ctx.ClosedDmpIpps.Contains(s.Ipp)) return false; // a DMP trace status such as ERREUR_DMP_CLOS
        bool anyOpen = false, allNotOpen = true;
        foreach (var v in s.Venues)
        {
            var n = CsvReader.NormalizeValue(v.Dmp);
            if (p.DmpOpen.Contains(n)) anyOpen = true;
            else if (!p.DmpNotOpen.Contains(n)) allNotOpen = false;
        }
        if (anyOpen) return true;
        return allNotOpen ? false : null;
    }

    private static bool InsQualified(Context ctx, Stay s)
    {
        if (s.Venues.Exists(v => v.InsQualified == true)) return true;
        return ctx.IdentityByIpp.TryGetValue(s.Ipp, out var id) && !id.Doubtful && !id.Fictitious && IsQualifiedStatus(id.Status);
    }

    // ---------------------------------------------------------------- totals

    private static void Finish(IndicatorResult r, IndicatorDefinition def, string? targetKey)
    {
        r.Numerator = r.Units.Count(u => u.InDenominator && u.Counted);
        r.NaiveNumerator = r.Units.Count(u => u.InDenominator && u.Naive);
        r.Rate = Rates.Percent(r.Numerator, r.Denominator);
        r.NaiveRate = Rates.Percent(r.NaiveNumerator, r.Denominator);
        if (targetKey is not null && def.Targets.TryGetValue(targetKey, out var t)) r.Target = t;
        r.Reached = r.Target is { } target && r.Rate is { } rate ? rate >= target : null;
        if (r.Status is null && r.Denominator == 0 && def.ZeroDenominator is not null) r.Status = def.ZeroDenominator;
        foreach (var u in r.Units)
        {
            if (!u.InDenominator || !u.Naive || u.Counted) continue;
            r.GapUnits++;
            if (!u.HasReasons) continue;
            foreach (var reason in u.Reasons) r.GapByReason[reason] = r.GapByReason.GetValueOrDefault(reason) + 1;
        }
        r.Rejected.Sort((a, b) => string.CompareOrdinal(a.Document, b.Document));
    }
}

/// <summary>
/// Date arithmetic on the extractions' dates, which may be anything from 01/01/0001 to 31/12/9999: a result past
/// either end is held at that end (DateOnly.AddDays/AddMonths throw there), which is what the comparisons mean
/// (nothing is after 31/12/9999).
/// </summary>
internal static class Dates
{
    public static DateOnly AddDays(DateOnly d, int days) =>
        DateOnly.FromDayNumber((int)Math.Clamp((long)d.DayNumber + days, DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber));

    public static DateOnly AddMonths(DateOnly d, int months)
    {
        long index = d.Year * 12L + d.Month - 1 + months; // months since January of year 0
        if (index < 12) return DateOnly.MinValue;
        if (index > 9999 * 12L + 11) return DateOnly.MaxValue;
        return d.AddMonths(months);
    }
}
