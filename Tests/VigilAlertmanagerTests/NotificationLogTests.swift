import Testing
import VigilModel
import VigilTestSupport
@testable import VigilAlertmanager

@Suite("Notification log")
struct NotificationLogTests {
    @Test("entries expire after 2 × repeat_interval or the retention, whichever is shorter; older writes lose")
    func expiry() {
        let log = NotificationLog(retention: 120 * 60 * minute)
        let receiver = NotificationLog.receiverKey(receiver: "team", integration: "webhook", index: 0)
        #expect(receiver == "team/webhook/0")
        log.log(groupKey: "{}:{}", receiver: receiver, firing: [1, 2], resolved: [], now: t0, expiry: 2 * 60 * minute)
        #expect(log.query(groupKey: "{}:{}", receiver: receiver)?.expiresAt == t0 + 2 * 60 * minute)
        // A write stamped before the stored one (clock skew) does not replace it.
        log.log(groupKey: "{}:{}", receiver: receiver, firing: [3], resolved: [], now: t0 - minute, expiry: 0)
        #expect(log.query(groupKey: "{}:{}", receiver: receiver)?.firingAlerts == [1, 2])
        log.log(groupKey: "{}:{}", receiver: "other/email/1", firing: [], resolved: [1], now: t0, expiry: 0)
        #expect(log.query(groupKey: "{}:{}", receiver: "other/email/1")?.expiresAt == t0 + 120 * 60 * minute)
        #expect(log.collectGarbage(now: t0 + 2 * 60 * minute) == 1)
        #expect(log.query(groupKey: "{}:{}", receiver: receiver) == nil)
        #expect(log.query(groupKey: "{}:{}", receiver: "other/email/1") != nil)
    }

    @Test("subset checks behind the send rule")
    func subsets() {
        let entry = NotificationLogEntry(
            groupKey: "k", receiver: "r", timestamp: t0, firingAlerts: [1, 2, 3], resolvedAlerts: [4], expiresAt: t0 + minute)
        #expect(entry.isFiringSubset([1, 3]))
        #expect(entry.isFiringSubset([]))
        #expect(!entry.isFiringSubset([1, 5]))
        #expect(entry.isResolvedSubset([4]))
        #expect(!entry.isResolvedSubset([4, 2]))
    }

    @Test("alert hashes are xxHash64 of the sorted labels with 0xFF separators")
    func alertHash() {
        var raw: [UInt8] = Array("alertname".utf8) + [0xFF] + Array("X".utf8) + [0xFF]
        raw += Array("job".utf8) + [0xFF] + Array("node".utf8) + [0xFF]
        #expect(NotificationPipeline.hash(labels(["job": "node", "alertname": "X"])) == XXHash64.hash(raw))
    }
}
