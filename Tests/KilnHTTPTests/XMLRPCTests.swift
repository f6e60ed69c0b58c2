import KilnHTTP
import Testing

private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Decodes a response that must be a fault.
private func fault(_ document: String) -> XMLRPCFault? {
    do {
        _ = try XMLRPC.decodeResponse(bytes(document))
        return nil
    } catch let fault as XMLRPCFault {
        return fault
    } catch {
        return nil
    }
}

private func response(_ value: String) throws -> XMLRPCValue {
    try XMLRPC.decodeResponse(
        bytes("<?xml version='1.0'?>\n<methodResponse><params><param>\(value)</param></params></methodResponse>"))
}

@Suite struct XMLRPCEncodingTests {
    /// Byte-for-byte what koji's client (Python xmlrpc.client + encode_args) sends for Koji's documented example
    /// `listTaggedRPMS('f40-build', event=12345, inherit=True, latest=True)`.
    @Test func kwargsCallMatchesKojiClient() {
        let encoded = XMLRPC.encodeCall(
            method: "listTaggedRPMS", params: ["f40-build"], kwargs: ["event": 12345, "inherit": true, "latest": true])
        #expect(
            text(encoded)
                == "<?xml version='1.0'?>\n<methodCall>\n<methodName>listTaggedRPMS</methodName>\n<params>\n<param>\n"
                + "<value><string>f40-build</string></value>\n</param>\n<param>\n<value><struct>\n<member>\n"
                + "<name>event</name>\n"
                + "<value><int>12345</int></value>\n</member>\n<member>\n<name>inherit</name>\n"
                + "<value><boolean>1</boolean></value>\n"
                + "</member>\n<member>\n<name>latest</name>\n<value><boolean>1</boolean></value>\n</member>\n<member>\n"
                + "<name>__starstar</name>\n<value><boolean>1</boolean></value>\n</member>\n</struct></value>\n"
                + "</param>\n"
                + "</params>\n</methodCall>\n")
    }

    @Test func scalarsArraysAndEscapingMatchPython() {
        let encoded = XMLRPC.encodeCall(method: "echo", params: ["a & <b>", .nil, -5, 2.5, [1, "x"], .structure([:])])
        #expect(
            text(encoded)
                == "<?xml version='1.0'?>\n<methodCall>\n<methodName>echo</methodName>\n<params>\n<param>\n"
                + "<value><string>a &amp; &lt;b&gt;</string></value>\n</param>\n<param>\n"
                + "<value><nil/></value></param>\n"
                + "<param>\n<value><int>-5</int></value>\n</param>\n<param>\n<value><double>2.5</double></value>\n"
                + "</param>\n"
                + "<param>\n<value><array><data>\n<value><int>1</int></value>\n<value><string>x</string></value>\n"
                + "</data></array></value>\n</param>\n<param>\n<value><struct>\n</struct></value>\n</param>\n"
                + "</params>\n"
                + "</methodCall>\n")
    }

    @Test func noArgumentsStillSendsParams() {
        #expect(
            text(XMLRPC.encodeCall(method: "getLastEvent", params: []))
                == "<?xml version='1.0'?>\n<methodCall>\n<methodName>getLastEvent</methodName>\n<params>\n</params>\n"
                + "</methodCall>\n"
        )
    }

    @Test func responseAndFaultMatchPython() {
        #expect(
            text(XMLRPC.encodeResponse(["id": 1, "ts": 1714039200.123456]))
                == "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><struct>\n<member>\n"
                + "<name>id</name>\n"
                + "<value><int>1</int></value>\n</member>\n<member>\n<name>ts</name>\n"
                + "<value><double>1714039200.123456</double></value>\n</member>\n</struct></value>\n</param>\n"
                + "</params>\n"
                + "</methodResponse>\n")
        #expect(
            text(XMLRPC.encodeFault(XMLRPCFault(code: 1000, message: "No such tagInfo: 'x'")))
                == "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n"
                + "<name>faultCode</name>\n"
                + "<value><int>1000</int></value>\n</member>\n<member>\n<name>faultString</name>\n"
                + "<value><string>No such tagInfo: 'x'</string></value>\n</member>\n</struct></value>\n</fault>\n"
                + "</methodResponse>\n")
    }

    @Test func base64MatchesPython() {
        #expect(
            XMLRPC.encodeValue(.base64(Array("hello world".utf8)))
                == "<value><base64>\naGVsbG8gd29ybGQ=\n</base64></value>\n")
    }

    @Test func integersBeyond32BitsAreI8() {
        #expect(XMLRPC.encodeValue(.int(2_147_483_647)) == "<value><int>2147483647</int></value>\n")
        #expect(XMLRPC.encodeValue(.int(-2_147_483_648)) == "<value><int>-2147483648</int></value>\n")
        #expect(XMLRPC.encodeValue(.int(2_147_483_648)) == "<value><i8>2147483648</i8></value>\n")
        #expect(XMLRPC.encodeValue(.int(-2_147_483_649)) == "<value><i8>-2147483649</i8></value>\n")
        #expect(XMLRPC.encodeValue(.int(Int64.max)) == "<value><i8>9223372036854775807</i8></value>\n")
    }

    @Test func kwargsMarkerComesLastAndIsNotDuplicated() throws {
        let encoded = XMLRPC.encodeCall(method: "m", params: [], kwargs: ["__starstar": false, "a": 1])
        let (method, params) = try XMLRPC.decodeCall(encoded)
        #expect(method == "m")
        #expect(params == [["a": 1, "__starstar": true]])
        let (positional, kwargs) = XMLRPC.splitKwargs(params)
        #expect(positional.isEmpty)
        #expect(kwargs == ["a": 1])
    }
}

@Suite struct XMLRPCDecodingTests {
    @Test func everyScalarType() throws {
        #expect(try response("<value><nil/></value>") == .nil)
        #expect(
            try response("<value><ex:nil xmlns:ex='http://ws.apache.org/xmlrpc/namespaces/extensions'/></value>")
                == .nil)
        #expect(try response("<value><int>-42</int></value>") == .int(-42))
        #expect(try response("<value><i4>7</i4></value>") == .int(7))
        #expect(try response("<value><i8>11093421000</i8></value>") == .int(11_093_421_000))
        #expect(try response("<value><int> 12 </int></value>") == .int(12))
        #expect(try response("<value><boolean>1</boolean></value>") == .bool(true))
        #expect(try response("<value><boolean>0</boolean></value>") == .bool(false))
        #expect(try response("<value><double>1705930793.513577</double></value>") == .double(1_705_930_793.513577))
        #expect(try response("<value><string>bash</string></value>") == .string("bash"))
        #expect(try response("<value><string/></value>") == .string(""))
        #expect(try response("<value><string></string></value>") == .string(""))
        #expect(try response("<value>bare text</value>") == .string("bare text"))
        #expect(try response("<value>  spaced  </value>") == .string("  spaced  "))
        #expect(try response("<value/>") == .string(""))
        #expect(try response("<value><base64>aGVs\nbG8=</base64></value>") == .base64(Array("hello".utf8)))
        #expect(
            try response("<value><dateTime.iso8601>20240122T13:39:53</dateTime.iso8601></value>")
                == .dateTime("20240122T13:39:53"))
    }

    @Test func entitiesAndCharacterReferences() throws {
        #expect(
            try response("<value><string>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;</string></value>")
                == .string("a & b <c> \"d\" 'e'"))
        #expect(try response("<value><string>&#65;&#x42;&#xe9;&#8364;</string></value>") == .string("ABé€"))
        #expect(try response("<value>caf\u{e9} &amp; co</value>") == .string("café & co"))
        #expect(try response("<value><string><![CDATA[<raw> & stuff]]></string></value>") == .string("<raw> & stuff"))
        #expect(try response("<value><string>a<!-- note -->b</string></value>") == .string("ab"))
        #expect(try response("<value><string>line\r\nend</string></value>") == .string("line\nend"))
        #expect(try response("<value><string>&unknown; stays</string></value>") == .string("&unknown; stays"))
    }

    @Test func nestedStructsAndArraysWithWhitespace() throws {
        let value = try response(
            """
            <value>
              <struct>
                <member><name>name</name><value><string>bash</string></value></member>
                <member>
                  <name>epoch</name>
                  <value><nil/></value>
                </member>
                <member><value><int>3</int></value><name>reversed</name></member>
                <member><name>arches</name><value><array><data>
                  <value>x86_64</value>
                  <value><string>src</string></value>
                </data></array></value></member>
                <member><name>empty</name><value><array><data/></array></value></member>
                <member><name>nested</name><value><struct>
                  <member><name>k</name><value><boolean>1</boolean></value></member>
                </struct></value></member>
              </struct>
            </value>
            """)
        #expect(value["name"] == .string("bash"))
        #expect(value["epoch"] == .nil)
        #expect(value["reversed"]?.intValue == 3)
        #expect(value["arches"] == ["x86_64", "src"])
        #expect(value["empty"] == .array([]))
        #expect(value["nested"]?["k"]?.boolValue == true)
        #expect(value["missing"] == nil)
    }

    /// Koji's `listTaggedRPMS` answer shape: a 2-element array [rpms, builds].
    @Test func listTaggedRPMSShape() throws {
        let document = """
            <?xml version='1.0'?>
            <methodResponse>
            <params>
            <param>
            <value><array><data>
            <value><array><data>
            <value><struct>
            <member>
            <name>name</name>
            <value><string>bash</string></value>
            </member>
            <member>
            <name>size</name>
            <value><i8>11093421000</i8></value>
            </member>
            <member>
            <name>epoch</name>
            <value><nil/></value></member>
            </struct></value>
            </data></array></value>
            <value><array><data>
            </data></array></value>
            </data></array></value>
            </param>
            </params>
            </methodResponse>
            """
        let value = try XMLRPC.decodeResponse(bytes(document))
        #expect(value[0]?[0]?["size"]?.intValue == 11_093_421_000)
        #expect(value[0]?[0]?["epoch"]?.isNil == true)
        #expect(value[1] == .array([]))
    }

    @Test func faultsAreThrown() {
        let received = fault(
            """
            <?xml version='1.0'?>
            <methodResponse>
            <fault>
            <value><struct>
            <member><name>faultCode</name><value><int>1019</int></value></member>
            <member><name>faultString</name>
                <value><string>RootExports.getTag() got an unexpected keyword argument 'foo'</string></value></member>
            </struct></value>
            </fault>
            </methodResponse>
            """)
        #expect(
            received
                == XMLRPCFault(code: 1019, message: "RootExports.getTag() got an unexpected keyword argument 'foo'"))
        #expect(
            fault(text(XMLRPC.encodeFault(XMLRPCFault(code: 1000, message: "No such build: 'a-1-1' & <x>"))))
                == XMLRPCFault(code: 1000, message: "No such build: 'a-1-1' & <x>"))
    }

    @Test func malformedDocumentsThrowXMLRPCError() {
        let documents = [
            "", "not xml", "<methodResponse>",
            "<methodResponse><params><param><value><int>x</int></value></param></params></methodResponse>",
            "<methodResponse><params><param><value><boolean>yes</boolean></value></param></params></methodResponse>",
            "<methodResponse><params><param><value><array><int>1</int></array></value></param></params>"
                + "</methodResponse>",
            "<methodResponse><params><param><value><bogus>1</bogus></value></param></params></methodResponse>",
            "<methodCall><methodName>x</methodName></methodCall>",
            "<methodResponse><fault><value><struct></struct></value></fault></methodResponse>",
            "<methodResponse><params><param><value><string>unterminated</value></param></params></methodResponse>",
        ]
        for document in documents {
            #expect(throws: XMLRPCError.self, "\(document)") { try XMLRPC.decodeResponse(bytes(document)) }
        }
    }

    @Test func roundTrips() throws {
        let values: [XMLRPCValue] = [
            .nil, .int(0), .int(-1), .int(Int64.min), .int(Int64.max), .bool(true), .bool(false), .double(0.1),
            .double(-1e300), .double(1714039200.123456), .string(""), .string("  a & b < c > d \" ' é € 😀\n"),
            .base64([]), .base64([0, 1, 2, 250, 255]), .base64(Array(repeating: 7, count: 200)),
            .dateTime("20240122T13:39:53"),
            .array([]), .structure([:]),
            [1, "two", [3.5, .nil], ["k": ["deep": true]]],
            ["a & b": "<key>", "__starstar": true, "": .nil],
        ]
        for value in values {
            #expect(try XMLRPC.decodeResponse(XMLRPC.encodeResponse(value)) == value)
        }
        let call = XMLRPC.encodeCall(method: "getTag", params: values, kwargs: ["event": 5, "strict": true])
        let (method, params) = try XMLRPC.decodeCall(call)
        #expect(method == "getTag")
        let (positional, kwargs) = XMLRPC.splitKwargs(params)
        #expect(positional == values)
        #expect(kwargs == ["event": 5, "strict": true])
    }

    /// A trailing struct without a true `__starstar` is an ordinary positional argument.
    @Test func trailingStructWithoutMarkerIsPositional() {
        let params: [XMLRPCValue] = ["x", ["__starstar": false, "a": 1]]
        #expect(XMLRPC.splitKwargs(params).params == params)
        #expect(XMLRPC.splitKwargs(["x", ["a": 1]]).kwargs.isEmpty)
    }
}
